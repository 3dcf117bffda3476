Feature: Document approval templates with an approver chain or a workflow user group
  MS-POAPW and MS-PQAPW go up the requester's approver chain, MS-SOAPW up the salesperson's; the
  blanket order templates and MS-INCDOCAPW ask a workflow user group, tier by tier. Each approval
  that leaves requests pending sends the next one (the partial approval loop).

  Background:
    Given the approval users:
      | user | approver | purchase limit | sales limit | salesperson/purchaser code | substitute |
      | REQ  | ANN      |                |             |                            |            |
      | ANN  | CEO      | 1000           | 1000        | AN                         | BOB        |
      | BOB  | CEO      | 1000           | 1000        |                            |            |
      | CEO  | CEO      | unlimited      | unlimited   |                            |            |
    And the workflow user group "BOARD" with the members:
      | user | sequence |
      | ANN  | 1        |
      | CEO  | 2        |

  Scenario Outline: <template> — the approver chain approves one by one
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And a <document> "D1" with:
      | <code field>             | AN   |
      | amount                   | 5000 |
      | amount lcy               | 5000 |
    When <sender> sends the <document> "D1" for approval
    Then <first> has 1 open approval request
    And CEO has no open approval requests
    When <first> approves the approval request
    Then the step on ApprovalRequestApproved when "pending_approvals > 0" fired
    And the status of the <document> "D1" is "Pending Approval"
    And CEO has 1 open approval request
    When CEO approves the approval request
    Then the status of the <document> "D1" is "Released"
    And the workflow instance for the <document> "D1" is complete and archived

    Examples:
      | template | document       | sender | first | code field       |
      | MS-POAPW | purchase order | REQ    | ANN   | purchaser code   |
      | MS-PQAPW | purchase quote | REQ    | ANN   | purchaser code   |
      | MS-SOAPW | sales order    | BOB    | ANN   | salesperson code |

  Scenario: The requester's own entry is approved first, then the chain above him is asked
    Given the workflow "POAPW" is copied from the template "MS-POAPW" and enabled
    And a purchase order "PO-1" of 5000
    When REQ sends the purchase order "PO-1" for approval
    Then the approval entries for the purchase order "PO-1" are:
      | approver | sequence | status   | sender |
      | REQ      | 1        | Approved | REQ    |
      | ANN      | 2        | Open     | REQ    |
      | CEO      | 3        | Created  | REQ    |

  Scenario Outline: <template> — rejected half-way up the chain
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And a <document> "D1" with:
      | <code field>             | AN   |
      | amount                   | 5000 |
    When <sender> sends the <document> "D1" for approval
    And <first> approves the approval request
    And CEO rejects the approval request
    Then the status of the <document> "D1" is "Open"
    And CEO has no open approval requests
    And the workflow instance for the <document> "D1" is complete and archived

    Examples:
      | template | document       | sender | first | code field       |
      | MS-POAPW | purchase order | REQ    | ANN   | purchaser code   |
      | MS-PQAPW | purchase quote | REQ    | ANN   | purchaser code   |
      | MS-SOAPW | sales order    | BOB    | ANN   | salesperson code |

  Scenario Outline: <template> — canceled after the first approval
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And a <document> "D1" with:
      | <code field>             | AN   |
      | amount                   | 5000 |
    When <sender> sends the <document> "D1" for approval
    And <first> approves the approval request
    And <sender> cancels the approval request for the <document> "D1"
    Then the status of the <document> "D1" is "Open"
    And the <document> "D1" is not restricted
    And CEO has no open approval requests

    Examples:
      | template | document       | sender | first | code field       |
      | MS-POAPW | purchase order | REQ    | ANN   | purchaser code   |
      | MS-PQAPW | purchase quote | REQ    | ANN   | purchaser code   |
      | MS-SOAPW | sales order    | BOB    | ANN   | salesperson code |

  Scenario Outline: <template> — the group's tiers approve in sequence
    Given the workflow "COPY" is copied from the template "<template>" for the workflow user group "BOARD" and enabled
    And a <document> "7" with:
      | <status field> | <open> |
      | <amount field> | 5000   |
    When REQ sends the <document> "7" for approval
    Then the approval entries for the <document> "7" are:
      | approver | sequence | status  |
      | ANN      | 1        | Open    |
      | CEO      | 2        | Created |
    When ANN approves the approval request
    Then CEO has 1 open approval request
    When CEO approves the approval request
    Then the status of the <document> "7" is "Released"
    And the <document> "7" is not restricted

    Examples:
      | template     | document               | status field | open | amount field    |
      | MS-BPOAPW    | purchase blanket order | status       | Open | amount          |
      | MS-BSOAPW    | sales blanket order    | status       | Open | amount          |
      | MS-INCDOCAPW | incoming document      | status       | New  | amount incl vat |

  Scenario Outline: <template> — a group member rejects
    Given the workflow "COPY" is copied from the template "<template>" for the workflow user group "BOARD" and enabled
    And a <document> "7" with:
      | <status field> | <open> |
      | <amount field> | 5000   |
    When REQ sends the <document> "7" for approval
    And ANN rejects the approval request
    Then the status of the <document> "7" is "<open>"
    And the approval entries for the <document> "7" are:
      | approver | status   |
      | ANN      | Rejected |
      | CEO      | Rejected |

    Examples:
      | template     | document               | status field | open | amount field    |
      | MS-BPOAPW    | purchase blanket order | status       | Open | amount          |
      | MS-BSOAPW    | sales blanket order    | status       | Open | amount          |
      | MS-INCDOCAPW | incoming document      | status       | New  | amount incl vat |

  Scenario Outline: <template> — copied without filling in the group, it cannot be enabled
    When the workflow "COPY" is copied from the template "<template>" and enabled
    Then the action is refused with "group"

    Examples:
      | template     |
      | MS-BPOAPW    |
      | MS-BSOAPW    |
      | MS-INCDOCAPW |
      | MS-CCLCAPW   |
      | MS-IUPCAPW   |

  Scenario Outline: <template> — the first approver delegates to his substitute
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And a <document> "D1" with:
      | <code field> | AN   |
      | amount       | 5000 |
    When <sender> sends the <document> "D1" for approval
    And ANN delegates the approval request
    Then BOB has 1 open approval request
    And ANN has no open approval requests
    When BOB approves the approval request
    Then CEO has 1 open approval request

    Examples:
      | template | document       | sender | code field       |
      | MS-POAPW | purchase order | REQ    | purchaser code   |
      | MS-PQAPW | purchase quote | REQ    | purchaser code   |
      | MS-SOAPW | sales order    | BOB    | salesperson code |

  Scenario Outline: <template> — canceled or delegated within the group
    Given the workflow "COPY" is copied from the template "<template>" for the workflow user group "BOARD" and enabled
    And a <document> "8" with:
      | status         | <open> |
      | <amount field> | 5000   |
    When REQ sends the <document> "8" for approval
    And ANN delegates the approval request
    Then the approval entries for the <document> "8" read "BOB Open, CEO Created"
    When REQ cancels the approval request for the <document> "8"
    Then the approval entries for the <document> "8" read "BOB Canceled, CEO Canceled"
    And the <document> "8" is not restricted
    And the status of the <document> "8" is "<open>"

    Examples:
      | template     | document               | open | amount field    |
      | MS-BPOAPW    | purchase blanket order | Open | amount          |
      | MS-BSOAPW    | sales blanket order    | Open | amount          |
      | MS-INCDOCAPW | incoming document      | New  | amount incl vat |
