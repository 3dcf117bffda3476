Feature: Templates without approvals: incoming documents, the purchase invoice flow, overdue requests

  Background:
    Given the approval users:
      | user  | approver |
      | CLERK | ANN      |
      | ANN   | ANN      |

  Scenario: MS-INCDOC — a new incoming document notifies
    Given the workflow "INC" is copied from the template "MS-INCDOC" with these changes, and enabled:
      | replace               | with                                   |
      | create a notification | create a notification, recipient ANN   |
    And these incoming documents:
      | entry no | description      | created by user id |
      | 1        | Scanned invoice  | CLERK              |
    When "IncomingDocumentCreated" happens for the incoming document "1" as CLERK
    Then the workflow instance for the incoming document "1" is complete and archived
    And the notifications waiting are:
      | recipient | type       |
      | ANN       | New Record |

  Scenario Outline: <template> — an incoming document becomes a BC document
    Given the workflow "COPY" is copied from the template "<template>" with these changes, and enabled:
      | replace               | with                                 |
      | create a notification | create a notification, recipient ANN |
    And these incoming documents:
      | entry no | status | ocr status |
      | 1        | New    | Success    |
    When "<event>" happens for the incoming document "1" as CLERK
    Then the step on <event> when "<condition>" fired
    And the timeline says "<response>"

    Examples:
      | template          | event                                   | condition            | response                                 |
      | MS-INCDOC-OCR     | IncomingDocumentReceivedFromOcr         | ocr_status = Success | create document from incoming document   |
      | MS-INCDOC-JNL-OCR | IncomingDocumentReceivedFromOcr         | ocr_status = Success | create journal line from incoming document |
      | MS-INCDOC-DOCEXCH | IncomingDocumentReceivedFromDocExchange | status = New         | release document                         |

  Scenario: MS-PIW — a released purchase invoice is posted in the background
    Given the workflow "PIW" is copied from the template "MS-PIW" with these changes, and enabled:
      | replace                                | with                                                                    |
      | create payment line in the background  | create payment line in the background, template PAYMENT, batch DEFAULT  |
      | create a notification                  | create a notification, recipient ANN                                    |
    And a purchase invoice "1001" with:
      | status | Released |
      | amount | 500      |
    When "PurchaseDocReleased" happens for the purchase invoice "1001" as CLERK
    Then the step on PurchaseDocReleased when "document_type = Invoice and status = Released" fired
    And the timeline says "queued for posting in the background"
    And the workflow instance for the purchase invoice "1001" is still running

  Scenario: MS-PIW — an open invoice is not posted
    Given the workflow "PIW" is copied from the template "MS-PIW" with these changes, and enabled:
      | replace                                | with                                                                    |
      | create payment line in the background  | create payment line in the background, template PAYMENT, batch DEFAULT  |
      | create a notification                  | create a notification, recipient ANN                                    |
    And a purchase invoice "1001" of 500
    When "PurchaseDocReleased" happens for the purchase invoice "1001" as CLERK
    Then no workflow started for the purchase invoice "1001"
    And the step on PurchaseDocReleased when "document_type = Invoice and status = Released" did not fire because "status = Released" was false

  Scenario: MS-OVERDUE — approvers of requests past their due date get an overdue notice
    Given the approval users:
      | user  | approver | purchase limit |
      | CLERK | ANN      |                |
      | ANN   | ANN      | unlimited      |
    And the workflow "OVERDUE" is copied from the template "MS-OVERDUE" and enabled
    And the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           set status to pending approval
           create approval requests for approver chain, due in 1D
           send approval requests as send
           on ApprovalRequestApproved when pending_approvals = 0 then release document
      """
    And a purchase invoice "1001" of 500
    When CLERK sends the purchase invoice "1001" for approval
    And 3 days pass
    And the overdue approvals job runs
    Then the notifications waiting are:
      | recipient | type     |
      | ANN       | Approval |
      | ANN       | Overdue  |

  Scenario: MS-OVERDUE — nothing is overdue before the due date
    Given the workflow "OVERDUE" is copied from the template "MS-OVERDUE" and enabled
    And the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           create approval requests for approver chain, due in 5D
           send approval requests
      """
    And a purchase invoice "1001" of 500
    When CLERK sends the purchase invoice "1001" for approval
    And 2 days pass
    And the overdue approvals job runs
    Then the notifications waiting are:
      | recipient | type     |
      | ANN       | Approval |
