Feature: Who approves Contoso's purchase invoices
  Buyers have no approval authority, the purchasing manager approves up to 5,000 and the finance
  director approves everything. Invoices of 500 or less need no approval.

  Background:
    Given the approval users:
      | user    | approver | purchase limit | substitute |
      | BUYER   | MANAGER  |                |            |
      | MANAGER | DIRECTOR | 5000           | DEPUTY     |
      | DEPUTY  | DIRECTOR | 5000           |            |
      | DIRECTOR| DIRECTOR | unlimited      |            |
    And the workflow in "../purchase-approval.wf" is enabled

  Scenario: A small invoice needs no approval
    Given a purchase invoice "PI-100" of 450
    When BUYER sends the purchase invoice "PI-100" for approval
    Then no workflow started for the purchase invoice "PI-100"
    And the status of the purchase invoice "PI-100" is "Open"
    And there are no approval entries for the purchase invoice "PI-100"

  Scenario: The purchasing manager approves an invoice within his limit
    Given a purchase invoice "PI-101" of 4000
    When BUYER sends the purchase invoice "PI-101" for approval
    Then the approval entries for the purchase invoice "PI-101" are:
      | approver | sequence | status   | due date   |
      | BUYER    | 1        | Approved | 2026-01-07 |
      | MANAGER  | 2        | Open     | 2026-01-07 |
    When MANAGER approves the approval request
    Then the status of the purchase invoice "PI-101" is "Released"
    And the purchase invoice "PI-101" is not restricted

  Scenario: A large invoice needs the finance director too
    Given a purchase invoice "PI-102" of 12000
    When BUYER sends the purchase invoice "PI-102" for approval
    And MANAGER approves the approval request
    Then the status of the purchase invoice "PI-102" is "Pending Approval"
    And DIRECTOR has 1 open approval request
    When DIRECTOR approves the approval request
    Then the status of the purchase invoice "PI-102" is "Released"
    And the workflow instance for the purchase invoice "PI-102" is complete and archived
