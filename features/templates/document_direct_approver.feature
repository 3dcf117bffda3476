Feature: Document approval templates with the salesperson/purchaser as direct approver
  MS-PIAPW, MS-PCMAPW, MS-PROAPW and the sales invoice, credit memo, quote and return order templates
  send a document to the user who is its salesperson/purchaser. The paths are the same for all of
  them: approved, rejected, canceled and delegated.

  Background:
    Given the approval users:
      | user | approver | purchase limit | sales limit | salesperson/purchaser code | substitute |
      | REQ  | ANN      |                |             |                            |            |
      | ANN  | CEO      | 1000           | 1000        | AN                         | BOB        |
      | BOB  | CEO      | 1000           | 1000        |                            |            |
      | CEO  | CEO      | unlimited      | unlimited   |                            |            |

  Scenario Outline: <template> — the salesperson/purchaser approves, the document is released
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And a <document> "D1" with:
      | <code field> | AN   |
      | amount       | 5000 |
      | amount lcy   | 5000 |
    When REQ sends the <document> "D1" for approval
    Then the <document> "D1" is restricted
    And the status of the <document> "D1" is "Pending Approval"
    And the approval entries for the <document> "D1" are:
      | approver | status |
      | ANN      | Open   |
    When ANN approves the approval request for the <document> "D1"
    Then the status of the <document> "D1" is "Released"
    And the <document> "D1" is not restricted
    And the workflow instance for the <document> "D1" is complete and archived

    Examples: purchase
      | template  | document              | code field     |
      | MS-PIAPW  | purchase invoice      | purchaser code |
      | MS-PCMAPW | purchase credit memo  | purchaser code |
      | MS-PROAPW | purchase return order | purchaser code |
    Examples: sales
      | template  | document           | code field       |
      | MS-SIAPW  | sales invoice      | salesperson code |
      | MS-SCMAPW | sales credit memo  | salesperson code |
      | MS-SQAPW  | sales quote        | salesperson code |
      | MS-SROAPW | sales return order | salesperson code |

  Scenario Outline: <template> — the approver rejects, the document is reopened
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And a <document> "D1" with:
      | <code field> | AN   |
      | amount       | 5000 |
    When REQ sends the <document> "D1" for approval
    And ANN rejects the approval request with the comment "Wrong vendor"
    Then the status of the <document> "D1" is "Open"
    And the approval entries for the <document> "D1" are:
      | approver | status   |
      | ANN      | Rejected |
    And the workflow instance for the <document> "D1" is complete and archived

    Examples:
      | template  | document              | code field       |
      | MS-PIAPW  | purchase invoice      | purchaser code   |
      | MS-PCMAPW | purchase credit memo  | purchaser code   |
      | MS-PROAPW | purchase return order | purchaser code   |
      | MS-SIAPW  | sales invoice         | salesperson code |
      | MS-SCMAPW | sales credit memo     | salesperson code |
      | MS-SQAPW  | sales quote           | salesperson code |
      | MS-SROAPW | sales return order    | salesperson code |

  Scenario Outline: <template> — the sender cancels, the document is reopened and usable
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And a <document> "D1" with:
      | <code field> | AN   |
      | amount       | 5000 |
    When REQ sends the <document> "D1" for approval
    And REQ cancels the approval request for the <document> "D1"
    Then the status of the <document> "D1" is "Open"
    And the <document> "D1" is not restricted
    And the approval entries for the <document> "D1" are:
      | approver | status   |
      | ANN      | Canceled |
    And the timeline says "The approval request for the record has been canceled."

    Examples:
      | template  | document              | code field       |
      | MS-PIAPW  | purchase invoice      | purchaser code   |
      | MS-PCMAPW | purchase credit memo  | purchaser code   |
      | MS-PROAPW | purchase return order | purchaser code   |
      | MS-SIAPW  | sales invoice         | salesperson code |
      | MS-SCMAPW | sales credit memo     | salesperson code |
      | MS-SQAPW  | sales quote           | salesperson code |
      | MS-SROAPW | sales return order    | salesperson code |

  Scenario Outline: <template> — the approver delegates to the substitute, who approves
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And a <document> "D1" with:
      | <code field> | AN   |
      | amount       | 5000 |
    When REQ sends the <document> "D1" for approval
    And ANN delegates the approval request
    Then the approval entries for the <document> "D1" are:
      | approver | status |
      | BOB      | Open   |
    When BOB approves the approval request
    Then the status of the <document> "D1" is "Released"

    Examples:
      | template  | document              | code field       |
      | MS-PIAPW  | purchase invoice      | purchaser code   |
      | MS-PCMAPW | purchase credit memo  | purchaser code   |
      | MS-PROAPW | purchase return order | purchaser code   |
      | MS-SIAPW  | sales invoice         | salesperson code |
      | MS-SCMAPW | sales credit memo     | salesperson code |
      | MS-SQAPW  | sales quote           | salesperson code |
      | MS-SROAPW | sales return order    | salesperson code |
