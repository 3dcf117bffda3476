Feature: Conditions on documents and their lines, and the timeline that explains them

  Background:
    Given the approval users:
      | user  | approver | purchase limit |
      | BUYER | BOSS     |                |
      | BOSS  | BOSS     | unlimited      |
    And the workflow is enabled:
      """
      workflow BULK "Bulk purchase orders"
        on PurchaseDocSentForApproval
           when document_type = Order and any lines with quantity > 8
        then
           restrict record usage
           set status to pending approval
           create approval requests for direct approver
           send approval requests
           on ApprovalRequestApproved when pending_approvals = 0 then
              allow record usage
              release document
      """

  Scenario Outline: an order with a line of <quantity> pieces <outcome>
    Given a purchase order "PO-1" of 900
    And the purchase order "PO-1" has the lines:
      | type | no   | quantity   | line amount |
      | Item | 1000 | 2          | 100         |
      | Item | 2000 | <quantity> | 800         |
    When BUYER sends the purchase order "PO-1" for approval
    Then the approval entries for the purchase order "PO-1" read "<entries>"
    And the purchase order "PO-1" is <restricted>

    Examples:
      | quantity | outcome                | entries   | restricted     |
      | 9        | needs approval         | BOSS Open | restricted     |
      | 8        | needs no approval      | none      | not restricted |

  Scenario: the timeline says which test was false
    Given a purchase order "PO-2" of 100
    And the purchase order "PO-2" has the lines:
      | type | no   | quantity |
      | Item | 1000 | 3        |
    When BUYER sends the purchase order "PO-2" for approval
    Then no workflow started for the purchase order "PO-2"
    And the step on PurchaseDocSentForApproval when "document_type = Order and any lines with quantity > 8" did not fire because "any lines with quantity > 8" was false
    And the timeline says "document_type = Order: true"

  Scenario: an invoice is not an order
    Given a purchase invoice "PI-1" of 100
    When BUYER sends the purchase invoice "PI-1" for approval
    Then no workflow started for the purchase invoice "PI-1"
    And the step on PurchaseDocSentForApproval when "document_type = Order and any lines with quantity > 8" did not fire because "document_type = Order" was false
    And the status of the purchase invoice "PI-1" is "Open"

  Scenario: a restricted order is released and usable once approved
    Given a purchase order "PO-3" of 900
    And the purchase order "PO-3" has the lines:
      | type | no   | quantity |
      | Item | 1000 | 10       |
    When BUYER sends the purchase order "PO-3" for approval
    Then the purchase order "PO-3" is restricted
    And the timeline says "restricted by workflow BULK"
    When BOSS approves the approval request
    Then the purchase order "PO-3" is not restricted
    And the status of the purchase order "PO-3" is "Released"
