Feature: Purchase invoice approval through the approver chain

  Background:
    Given the approval users:
      | user | approver | purchase limit |
      | REQ  | ANN      |                |
      | ANN  | CEO      | 1000           |
      | CEO  | CEO      | unlimited      |
    And the workflow is enabled:
      """
      workflow PIAPW "Purchase invoice approval"
        on PurchaseDocSentForApproval when document_type = Invoice and status = Open then
           restrict record usage
           set status to pending approval
           create approval requests for approver chain, due in 2D
           send approval requests as send

           on ApprovalRequestApproved when pending_approvals = 0 then
              allow record usage
              release document
           on ApprovalRequestApproved when pending_approvals > 0 then
              send approval requests
              continue at send
           on ApprovalRequestRejected then
              reject all approval requests, notify sender
              reopen document
      """
    And a purchase invoice "1001" of 5000

  Scenario: Fully approved
    When REQ sends the purchase invoice "1001" for approval
    Then the approval entries for the purchase invoice "1001" are:
      | approver | sequence | status   | due date   |
      | REQ      | 1        | Approved | 2026-01-07 |
      | ANN      | 2        | Open     | 2026-01-07 |
      | CEO      | 3        | Created  | 2026-01-07 |
    And the purchase invoice "1001" is restricted
    And the status of the purchase invoice "1001" is "Pending Approval"
    When ANN approves the approval request for the purchase invoice "1001"
    Then the step on ApprovalRequestApproved when "pending_approvals = 0" did not fire
    When CEO approves the approval request
    Then the status of the purchase invoice "1001" is "Released"
    And the purchase invoice "1001" is not restricted
    And the workflow instance for the purchase invoice "1001" is complete and archived

  Scenario: Sent again while the approval is pending
    When REQ sends the purchase invoice "1001" for approval
    And REQ sends the purchase invoice "1001" for approval
    Then the action is refused with "WF516"
    And the action is refused with "already in workflow PIAPW"
    And ANN has 1 open approval request
    And the status of the purchase invoice "1001" is "Pending Approval"
    When ANN approves the approval request for the purchase invoice "1001"
    And CEO approves the approval request
    Then the status of the purchase invoice "1001" is "Released"
    And the workflow instance for the purchase invoice "1001" is complete and archived
