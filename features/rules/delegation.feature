Feature: Delegation: to whom, by whom, and automatically after a while
  A delegated request goes to the approver's substitute, else to the approver's own approver, else
  to the approval administrator.

  Background:
    Given the approval users:
      | user  | approver | purchase limit | substitute | administrator |
      | REQ   | ANN      |                |            |               |
      | ANN   | BOB      | 10000          | SUE        |               |
      | BOB   | BOB      | unlimited      |            |               |
      | SUE   | BOB      | 10000          |            |               |
      | ADMIN |          |                |            | yes           |

  Scenario Outline: ANN's request is delegated by <who> to <to>
    Given the approval users:
      | user | approver   | purchase limit | substitute |
      | ANN  | <approver> | 10000          | <sub>      |
    And the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           create approval requests for direct approver
           send approval requests as send
           on ApprovalRequestDelegated then
              send approval requests
              continue at send
      """
    And a purchase invoice "1001" of 5000
    When REQ sends the purchase invoice "1001" for approval
    And <who> delegates the approval request
    Then the approval entries for the purchase invoice "1001" read "<to> Open"
    And ANN has no open approval requests

    Examples:
      | who   | approver | sub | to    |
      | ANN   | BOB      | SUE | SUE   |
      | ANN   | BOB      |     | BOB   |
      | ANN   |          |     | ADMIN |
      | REQ   | BOB      | SUE | SUE   |
      | ADMIN | BOB      | SUE | SUE   |

  Scenario: someone else cannot delegate ANN's request
    Given the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           create approval requests for direct approver
           send approval requests
      """
    And a purchase invoice "1001" of 5000
    When REQ sends the purchase invoice "1001" for approval
    And SUE delegates the approval request
    Then the action is refused with "SUE"
    And the approval entries for the purchase invoice "1001" read "ANN Open"

  Scenario Outline: automatic delegation after <after>: <days> days later the request is with <approver>
    Given the approval users:
      | user | approver | purchase limit | substitute |
      | ANN  | BOB      | 10000          | SUE        |
    And the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           create approval requests for direct approver, delegate after <after>
           send approval requests as send
           on ApprovalRequestDelegated then
              send approval requests
              continue at send
      """
    And a purchase invoice "1001" of 5000
    When REQ sends the purchase invoice "1001" for approval
    And <days> days pass
    Then the approval entries for the purchase invoice "1001" read "<approver> Open"

    Examples:
      | after | days | approver |
      | 1D    | 1    | SUE      |
      | 2D    | 1    | ANN      |
      | 2D    | 2    | SUE      |
      | 5D    | 4    | ANN      |
      | 5D    | 5    | SUE      |
