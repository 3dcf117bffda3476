Feature: Notifications: methods, schedules and digests

  Background:
    Given the approval users:
      | user | approver | purchase limit |
      | REQ  | ANN      |                |
      | ANN  | ANN      | unlimited      |
    And the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           set status to pending approval
           create approval requests for direct approver, due in 2D
           send approval requests as send
           on ApprovalRequestApproved when pending_approvals = 0 then release document
           on ApprovalRequestRejected then
              reject all approval requests, notify sender
              reopen document
      """
    And a purchase invoice "1001" of 700
    And a purchase invoice "1002" of 800

  Scenario: sent instantly by e-mail
    When REQ sends the purchase invoice "1001" for approval
    And the notification dispatcher runs
    Then the notifications sent are:
      | recipient | method | type     | text                             |
      | ANN       | Email  | Approval | Invoice 1001                     |
    And ANN received an e-mail containing "You have 1 approval notification"
    And no notifications are waiting

  Scenario: stored as a note on the record
    Given the notification setup:
      | user | type     | method |
      | ANN  | approval | note   |
    When REQ sends the purchase invoice "1001" for approval
    And the notification dispatcher runs
    Then the notifications sent are:
      | recipient | method | text         |
      | ANN       | Note   | Invoice 1001 |

  Scenario: the sender hears about the rejection
    When REQ sends the purchase invoice "1001" for approval
    And ANN rejects the approval request
    And the notification dispatcher runs
    Then the notifications sent are:
      | recipient | method | text         |
      | ANN       | Email  | Invoice 1001 |
      | REQ       | Email  | rejected     |

  Scenario Outline: a daily digest at 08:00 (<frequency>) is sent on <day>
    Given today is 2026-01-09
    And the notification setup:
      | user | type     | method | schedule | time  | daily frequency |
      | ANN  | approval | email  | daily    | 08:00 | <frequency>     |
    When REQ sends the purchase invoice "1001" for approval
    And REQ sends the purchase invoice "1002" for approval
    And the notification dispatcher runs
    Then no notifications are sent
    And the notifications waiting are:
      | recipient | type     | text         |
      | ANN       | Approval | Invoice 1001 |
      | ANN       | Approval | Invoice 1002 |
    When <days> days pass
    And the notification dispatcher runs
    Then <outcome>

    Examples:
      | frequency | day              | days | outcome                                                    |
      | daily     | Saturday         | 1    | ANN received an e-mail containing "You have 2 approval notifications" |
      | weekday   | Monday, not Saturday | 1 | no notifications are sent                                  |
      | weekday   | Monday           | 3    | ANN received an e-mail containing "You have 2 approval notifications" |

  Scenario: a weekly schedule waits for the chosen weekday
    Given the notification setup:
      | user | type     | method | schedule | time  | weekdays |
      | ANN  | approval | email  | weekly   | 08:00 | thu      |
    When REQ sends the purchase invoice "1001" for approval
    And 2 days pass
    And the notification dispatcher runs
    Then no notifications are sent
    When 1 day passes
    And the notification dispatcher runs
    Then ANN received an e-mail containing "Invoice 1001"

  Scenario: overdue approval requests are reported by MS-OVERDUE
    Given the workflow "OVERDUE" is copied from the template "MS-OVERDUE" and enabled
    When REQ sends the purchase invoice "1001" for approval
    And 3 days pass
    And the overdue approvals job runs
    And the notification dispatcher runs
    Then the notifications sent are:
      | recipient | type     | text                                |
      | ANN       | Approval | Invoice 1001                        |
      | ANN       | Overdue  | was due 2026-01-07 and still waits for ANN |
