Feature: Small expense reports are booked at once and closed when paid
  The expenses library adds expense reports, their events and the "book expense" response.
  The workflow books reports up to 1,000 without "Other" costs and locks them until they are paid.

  Background:
    Given the workflow in "../../workflows/expense-booking.wf" is enabled
    And an expense report "EX-1" of 245.50
    And the expense report "EX-1" has the lines:
      | category | description       | amount |
      | Travel   | Train to Utrecht  | 180.00 |
      | Meals    | Lunch with client | 65.50  |

  Scenario: A small report is booked, then closed when the reimbursement is paid
    When ANN submits the expense report "EX-1"
    Then the expense report "EX-1" is booked to account "6420" for 245.50
    And the status of the expense report "EX-1" is "Booked"
    And the expense report "EX-1" is restricted
    When the expense report "EX-1" is paid by PAYROLL
    Then the status of the expense report "EX-1" is "Paid"
    And the expense report "EX-1" is not restricted
    And the workflow instance for the expense report "EX-1" is complete and archived

  Scenario: A report with other costs is not booked automatically
    Given an expense report "EX-2" of 90
    And the expense report "EX-2" has the lines:
      | category | description    | amount |
      | Other    | Team gift      | 90     |
    When BOB submits the expense report "EX-2"
    Then nothing is booked for the expense report "EX-2"
    And no workflow started for the expense report "EX-2"

  Scenario: A report with nothing to book is refused and nothing of it is applied
    Given an expense report "EX-3" of 0
    When CARL submits the expense report "EX-3"
    Then the action is refused with "has nothing to book"
    And nothing is booked for the expense report "EX-3"
    And no workflow started for the expense report "EX-3"
