Feature: Requests that wait too long, rejections and cancellations

  Background:
    Given the approval users:
      | user    | approver | purchase limit | substitute |
      | BUYER   | MANAGER  |                |            |
      | MANAGER | DIRECTOR | 5000           | DEPUTY     |
      | DEPUTY  | DIRECTOR | 5000           |            |
      | DIRECTOR| DIRECTOR | unlimited      |            |
    And the workflow in "../purchase-approval.wf" is enabled
    And a purchase invoice "PI-200" of 3000

  Scenario: After two days without an answer the deputy gets the request
    When BUYER sends the purchase invoice "PI-200" for approval
    And 3 days pass
    Then DEPUTY has 1 open approval request
    And MANAGER has no open approval requests
    When DEPUTY approves the approval request
    Then the status of the purchase invoice "PI-200" is "Released"

  Scenario: A rejected invoice is reopened and usable again
    When BUYER sends the purchase invoice "PI-200" for approval
    And MANAGER rejects the approval request with the comment "Wrong cost centre"
    Then the status of the purchase invoice "PI-200" is "Open"
    And the purchase invoice "PI-200" is not restricted

  Scenario: The buyer withdraws the request
    When BUYER sends the purchase invoice "PI-200" for approval
    And BUYER cancels the approval request for the purchase invoice "PI-200"
    Then the status of the purchase invoice "PI-200" is "Open"
    And MANAGER has no open approval requests

  Scenario: The buyer cannot approve his own request
    When BUYER sends the purchase invoice "PI-200" for approval
    And BUYER approves the approval request
    Then the action is refused with "BUYER"
