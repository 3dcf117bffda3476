Feature: Large expense reports go through the approvals before they are booked
  The expenses library plugs ExpenseReportSentForApproval into the stdlib's approvals, so the
  EXPENSES workflow user group approves reports above 1,000 with BC's approval entries.

  Background:
    Given the approval users:
      | user | approver |
      | ANN  | MIA      |
      | MIA  | MIA      |
      | LEO  | LEO      |
    And the workflow user group "EXPENSES" with the members:
      | user | sequence |
      | MIA  | 1        |
      | LEO  | 2        |
    And the workflow in "../../workflows/expense-approval.wf" is enabled
    And an expense report "EX-10" of 1850.00

  Scenario: Both approvers approve, then the report is booked
    When "ExpenseReportSentForApproval" happens for the expense report "EX-10" as ANN
    Then the approval entries for the expense report "EX-10" are:
      | approver | sequence | status  |
      | MIA      | 1        | Open    |
      | LEO      | 2        | Created |
    And the expense report "EX-10" is restricted
    And nothing is booked for the expense report "EX-10"
    When MIA approves the approval request for the expense report "EX-10"
    Then nothing is booked for the expense report "EX-10"
    When LEO approves the approval request for the expense report "EX-10"
    Then the expense report "EX-10" is booked to account "6420" for 1850.00
    And the expense report "EX-10" is not restricted
    And the workflow instance for the expense report "EX-10" is complete and archived

  Scenario: A rejection books nothing and unlocks the report
    When "ExpenseReportSentForApproval" happens for the expense report "EX-10" as ANN
    And MIA rejects the approval request for the expense report "EX-10" with the comment "Receipts missing"
    Then the approval entries for the expense report "EX-10" are:
      | approver | sequence | status   |
      | MIA      | 1        | Rejected |
      | LEO      | 2        | Rejected |
    And nothing is booked for the expense report "EX-10"
    And the expense report "EX-10" is not restricted
