Feature: Credit-limit and record-change approval templates

  Background:
    Given the approval users:
      | user  | approver | sales limit | salesperson/purchaser code |
      | SALES | ANN      |             |                            |
      | ANN   | CEO      | 1000        | AN                         |
      | CEO   | CEO      | unlimited   |                            |
    And the workflow user group "CREDIT" with the members:
      | user | sequence |
      | ANN  | 1        |
      | CEO  | 2        |
    And these customers:
      | no   | name    | credit limit lcy | balance lcy |
      | C100 | Contoso | 5000             | 1000        |

  Scenario Outline: <template> — within the credit limit the order is approved automatically
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And a <document> "S1" with:
      | sell to customer no | C100 |
      | salesperson code    | AN   |
      | amount lcy          | 3000 |
    When SALES sends the <document> "S1" for approval
    Then the status of the <document> "S1" is "Released"
    And the timeline says "within the credit limit 5000"
    And the step on CustomerCreditLimitNotExceeded when "" fired

    Examples:
      | template   | document      |
      | MS-SOCLAPW | sales order   |
      | MS-SICLAPW | sales invoice |

  Scenario Outline: <template> — over the credit limit the salesperson must approve
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And a <document> "S1" with:
      | sell to customer no | C100 |
      | salesperson code    | AN   |
      | amount lcy          | 4500 |
    When SALES sends the <document> "S1" for approval
    Then the status of the <document> "S1" is "Pending Approval"
    And the <document> "S1" is restricted
    And the timeline says "exceeds the credit limit 5000"
    And ANN has 1 open approval request
    When ANN rejects the approval request
    Then the status of the <document> "S1" is "Open"

    Examples:
      | template   | document      |
      | MS-SOCLAPW | sales order   |
      | MS-SICLAPW | sales invoice |

  Scenario: MS-CCLCAPW — a raised credit limit waits for the group, then applies
    Given the workflow "CCL" is copied from the template "MS-CCLCAPW" for the workflow user group "CREDIT" and enabled
    When SALES changes the credit limit lcy of the customer "C100" to 9000
    Then the credit limit lcy of the customer "C100" is 5000
    And the customer "C100" has a pending change of credit limit lcy to 9000
    And the timeline says "The customer credit limit change was sent for approval."
    When ANN approves the approval request
    Then the credit limit lcy of the customer "C100" is 5000
    When CEO approves the approval request
    Then the credit limit lcy of the customer "C100" is 9000
    And the customer "C100" has no pending changes
    And the workflow instance for the customer "C100" is complete and archived

  Scenario: MS-CCLCAPW — a rejected change is discarded
    Given the workflow "CCL" is copied from the template "MS-CCLCAPW" for the workflow user group "CREDIT" and enabled
    When SALES changes the credit limit lcy of the customer "C100" to 9000
    And ANN rejects the approval request
    Then the credit limit lcy of the customer "C100" is 5000
    And the customer "C100" has no pending changes

  Scenario: MS-CCLCAPW — a lowered credit limit needs no approval
    Given the workflow "CCL" is copied from the template "MS-CCLCAPW" for the workflow user group "CREDIT" and enabled
    When SALES changes the credit limit lcy of the customer "C100" to 2000
    Then the credit limit lcy of the customer "C100" is 2000
    And there are no approval entries for the customer "C100"
    And the step on CustomerChanged when "credit_limit_lcy increased" did not fire

  Scenario: MS-CCLCAPW — delegated to the approver's substitute
    Given the approval users:
      | user | approver | sales limit | substitute |
      | ANN  | CEO      | 1000        | BOB        |
      | BOB  | CEO      | 1000        |            |
    And the workflow "CCL" is copied from the template "MS-CCLCAPW" for the workflow user group "CREDIT" and enabled
    When SALES changes the credit limit lcy of the customer "C100" to 9000
    And ANN delegates the approval request
    Then BOB has 1 open approval request
    And ANN has no open approval requests

  Scenario Outline: MS-IUPCAPW — a raised unit price of <price> waits for approval
    Given these items:
      | no   | description | unit price |
      | 1000 | Bicycle     | 100        |
    And the workflow "IUPC" is copied from the template "MS-IUPCAPW" for the workflow user group "CREDIT" and enabled
    When SALES changes the unit price of the item "1000" to <price>
    Then the unit price of the item "1000" is <now>
    When ANN approves the approval request
    And CEO approves the approval request
    Then the unit price of the item "1000" is <price>

    Examples:
      | price | now |
      | 120   | 100 |
      | 100.5 | 100 |
