Feature: Workflow user group tiers and self-approval

  Background:
    Given the approval users:
      | user | approver | purchase limit |
      | REQ  | ANN      |                |
      | ANN  | BOB      | 1000           |
      | BOB  | CEO      | 10000          |
      | CEO  | CEO      | unlimited      |
      | DAN  | CEO      | 1000           |

  Scenario Outline: group tiers: <tiers>
    Given the workflow user group "G" with the members:
      | user | sequence |
      | ANN  | <ann>    |
      | BOB  | <bob>    |
      | CEO  | <ceo>    |
    And the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           set status to pending approval
           create approval requests for workflow user group "G"<quorum>
           send approval requests as send
           on ApprovalRequestApproved when pending_approvals = 0 then release document
           on ApprovalRequestApproved when pending_approvals > 0 then
              send approval requests
              continue at send
      """
    And a purchase invoice "1001" of 5000
    When REQ sends the purchase invoice "1001" for approval
    Then the approval entries for the purchase invoice "1001" read "<sent>"
    When ANN approves the approval request
    Then the approval entries for the purchase invoice "1001" read "<after ANN>"
    And the status of the purchase invoice "1001" is "<status>"

    Examples:
      | tiers                       | ann | bob | ceo | quorum          | sent                           | after ANN                          | status           |
      | sequential                  | 1   | 2   | 3   |                 | ANN Open, BOB Created, CEO Created | ANN Approved, BOB Open, CEO Created | Pending Approval |
      | parallel                    | 1   | 1   | 1   |                 | ANN Open, BOB Open, CEO Open   | ANN Approved, BOB Open, CEO Open   | Pending Approval |
      | quorum of one               | 1   | 1   | 1   | , quorum 1      | ANN Open, BOB Open, CEO Open   | ANN Approved, BOB Canceled, CEO Canceled | Released   |
      | quorum of two               | 1   | 1   | 1   | , quorum 2      | ANN Open, BOB Open, CEO Open   | ANN Approved, BOB Open, CEO Open   | Pending Approval |

  Scenario: a quorum of two of three: the second approval releases and cancels the third request
    Given the workflow user group "G" with the members:
      | user | sequence |
      | ANN  | 1        |
      | BOB  | 1        |
      | CEO  | 1        |
    And the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           set status to pending approval
           create approval requests for workflow user group "G", quorum 2 of 3
           send approval requests as send
           on ApprovalRequestApproved when pending_approvals = 0 then release document
           on ApprovalRequestApproved when pending_approvals > 0 then
              send approval requests
              continue at send
      """
    And a purchase invoice "1001" of 5000
    When REQ sends the purchase invoice "1001" for approval
    And ANN approves the approval request
    And CEO approves the approval request
    Then the approval entries for the purchase invoice "1001" read "ANN Approved, BOB Canceled, CEO Approved"
    And the status of the purchase invoice "1001" is "Released"

  Scenario: a quorum "2 of 4" on a group of three is refused when the request is sent
    Given the workflow user group "G" with the members:
      | user | sequence |
      | ANN  | 1        |
      | BOB  | 1        |
      | CEO  | 1        |
    And the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           set status to pending approval
           create approval requests for workflow user group "G", quorum 2 of 4
           send approval requests
      """
    And a purchase invoice "1001" of 5000
    When REQ sends the purchase invoice "1001" for approval
    Then the action is refused with "WF619"
    And the action is refused with "2 of 4"
    And the status of the purchase invoice "1001" is "Open"

  Scenario Outline: self-approval <mode>: BOB sends an invoice within his own limit
    Given the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           set status to pending approval
           create approval requests for approver chain<option>
           send approval requests as send
           on ApprovalRequestApproved when pending_approvals = 0 then release document
           on ApprovalRequestApproved when pending_approvals > 0 then
              send approval requests
              continue at send
      """
    And a purchase invoice "1001" of 5000
    When BOB sends the purchase invoice "1001" for approval
    Then the approval entries for the purchase invoice "1001" read "<entries>"
    And the status of the purchase invoice "1001" is "<status>"

    Examples:
      | mode                  | option              | entries      | status           |
      | as in BC              |                     | BOB Approved | Released         |
      | refused by the option | , no self approval  | CEO Open     | Pending Approval |

  Scenario: an approver cannot approve a request that is not his
    Given the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           create approval requests for approver chain
           send approval requests
      """
    And a purchase invoice "1001" of 500
    When REQ sends the purchase invoice "1001" for approval
    And DAN approves the approval request
    Then the action is refused with "DAN"
    And the approval entries for the purchase invoice "1001" read "REQ Approved, ANN Open"
