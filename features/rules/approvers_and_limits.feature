Feature: Who is asked: every approver type with every approver limit type
  The requester REQ reports to ANN (limit 1,000), ANN to BOB (limit 10,000), BOB to CEO (no limit).
  ANN is the purchaser with code AN. The invoice is 5,000, so ANN's limit is too low and BOB's suffices.

  Background:
    Given the approval users:
      | user | approver | purchase limit | salesperson/purchaser code |
      | REQ  | ANN      |                |                            |
      | ANN  | BOB      | 1000           | AN                         |
      | BOB  | CEO      | 10000          |                            |
      | CEO  | CEO      | unlimited      |                            |
    And the workflow user group "PANEL" with the members:
      | user | sequence |
      | BOB  | 1        |
      | CEO  | 2        |
    And a purchase invoice "1001" with:
      | purchaser code | AN   |
      | amount         | 5000 |
      | amount lcy     | 5000 |

  Scenario Outline: create approval requests for <approvers>
    Given the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           set status to pending approval
           create approval requests for <approvers>
           send approval requests as send
           on ApprovalRequestApproved when pending_approvals = 0 then release document
           on ApprovalRequestApproved when pending_approvals > 0 then
              send approval requests
              continue at send
      """
    When REQ sends the purchase invoice "1001" for approval
    Then the approval entries for the purchase invoice "1001" read "<entries>"

    Examples: approver type Approver
      | approvers                  | entries                          |
      | approver chain             | REQ Approved, ANN Open, BOB Created |
      | direct approver            | ANN Open                         |
      | first qualified approver   | REQ Approved, BOB Open           |
      | specific approver CEO      | CEO Open                         |
    Examples: approver type Salesperson/Purchaser
      | approvers                                      | entries               |
      | salesperson/purchaser approver chain           | ANN Open, BOB Created |
      | salesperson/purchaser direct approver          | ANN Open              |
      | salesperson/purchaser first qualified approver | BOB Open              |
      | salesperson/purchaser specific approver CEO    | ANN Open, CEO Created |
    Examples: approver type Workflow User Group
      | approvers                  | entries               |
      | workflow user group "PANEL" | BOB Open, CEO Created |

  Scenario Outline: the chain stops at the first approver whose limit covers <amount>
    Given the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           create approval requests for approver chain
           send approval requests
      """
    And a purchase invoice "2002" of <amount>
    When REQ sends the purchase invoice "2002" for approval
    Then the approval entries for the purchase invoice "2002" read "<entries>"

    Examples:
      | amount | entries                                      |
      | 800    | REQ Approved, ANN Open                       |
      | 1000   | REQ Approved, ANN Open                       |
      | 1001   | REQ Approved, ANN Open, BOB Created          |
      | 10000  | REQ Approved, ANN Open, BOB Created          |
      | 25000  | REQ Approved, ANN Open, BOB Created, CEO Created |
