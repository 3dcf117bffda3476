Feature: The expenses library's template
  EXP-BOOK ships with the library as a .wf file; a copy of it is an ordinary workflow.

  Scenario: A copy of EXP-BOOK books small reports to its account
    Given the workflow "MYBOOK" is copied from the template "EXP-BOOK" and enabled
    And an expense report "EX-4" of 400
    When ANN submits the expense report "EX-4"
    Then the expense report "EX-4" is booked to account "6420" for 400.00
    And the status of the expense report "EX-4" is "Booked"

  Scenario: The template leaves reports with "Other" costs alone
    Given the workflow "MYBOOK" is copied from the template "EXP-BOOK" and enabled
    And an expense report "EX-5" of 50
    And the expense report "EX-5" has the lines:
      | category | amount |
      | Other    | 50     |
    When ANN submits the expense report "EX-5"
    Then nothing is booked for the expense report "EX-5"
