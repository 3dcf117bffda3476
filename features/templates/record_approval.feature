Feature: Record approval templates: master data, journal lines and batches, job queue entries
  MS-CUSTAPW, MS-VENDAPW, MS-ITEMAPW, MS-VENDBANKACCAPW, MS-JQEAPW, MS-GJLAPW, MS-IJBAPW and
  MS-RWBAPW restrict the record, ask the requester's direct approver and lift the restriction when
  approved. They have no document status.

  Background:
    Given the approval users:
      | user | approver | substitute |
      | REQ  | ANN      |            |
      | ANN  | CEO      | BOB        |
      | BOB  | CEO      |            |
      | CEO  | CEO      |            |

  Scenario Outline: <template> — the direct approver approves, the record is usable again
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And these <records>:
      | <key>   |
      | <value> |
    When REQ sends the <record> "<id>" for approval
    Then the <record> "<id>" is restricted
    And the approval entries for the <record> "<id>" are:
      | approver | sequence | status |
      | ANN      | 1        | Open   |
    When ANN approves the approval request for the <record> "<id>"
    Then the <record> "<id>" is not restricted
    And the workflow instance for the <record> "<id>" is complete and archived

    Examples:
      | template          | records                 | record                | key                     | value     | id              |
      | MS-CUSTAPW        | customers               | customer              | no                      | C100      | C100            |
      | MS-VENDAPW        | vendors                 | vendor                | no                      | V100      | V100            |
      | MS-ITEMAPW        | items                   | item                  | no                      | 1000      | 1000            |
      | MS-JQEAPW         | job queue entries       | job queue entry       | id                      | J1        | J1              |

  Scenario Outline: <template> — rejected, canceled and delegated
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And these <records>:
      | <key>   |
      | <value> |
    When REQ sends the <record> "<id>" for approval
    And ANN delegates the approval request
    Then the approval entries for the <record> "<id>" are:
      | approver | status |
      | BOB      | Open   |
    When BOB rejects the approval request
    Then the approval entries for the <record> "<id>" are:
      | approver | status   |
      | BOB      | Rejected |
    And the workflow instance for the <record> "<id>" is complete and archived
    When REQ sends the <record> "<id>" for approval
    And REQ cancels the approval request for the <record> "<id>"
    Then the approval entries for the <record> "<id>" are:
      | approver | status   |
      | BOB      | Rejected |
      | ANN      | Canceled |

    Examples:
      | template   | records           | record          | key | value | id   |
      | MS-CUSTAPW | customers         | customer        | no  | C100  | C100 |
      | MS-VENDAPW | vendors           | vendor          | no  | V100  | V100 |
      | MS-ITEMAPW | items             | item            | no  | 1000  | 1000 |
      | MS-JQEAPW  | job queue entries | job queue entry | id  | J1    | J1   |

  Scenario Outline: <template> — a batch is approved by the direct approver
    Given the workflow "COPY" is copied from the template "<template>" and enabled
    And these <records>:
      | <template field> | name    |
      | <batch template> | DEFAULT |
    When REQ sends the <record> "<batch template>/DEFAULT" for approval
    Then the <record> "<batch template>/DEFAULT" is restricted
    When ANN approves the approval request
    Then the <record> "<batch template>/DEFAULT" is not restricted
    And the workflow instance for the <record> "<batch template>/DEFAULT" is complete and archived

    Examples:
      | template  | records                | record                | template field          | batch template |
      | MS-IJBAPW | item journal batches   | item journal batch    | journal template name   | ITEM           |
      | MS-RWBAPW | requisition worksheets | requisition worksheet | worksheet template name | REQ            |

  Scenario: MS-IJBAPW — batches are named by template and batch name; canceling keeps nothing open
    Given the workflow "IJB" is copied from the template "MS-IJBAPW" and enabled
    And these item journal batches:
      | journal template name | name    |
      | ITEM                  | DEFAULT |
    When REQ sends the item journal batch "ITEM/DEFAULT" for approval
    And REQ cancels the approval request for the item journal batch "ITEM/DEFAULT"
    Then the approval entries for the item journal batch "ITEM/DEFAULT" are:
      | approver | status   |
      | ANN      | Canceled |
    And the timeline says "The approval request for the record has been canceled."

  Scenario: MS-VENDBANKACCAPW — a vendor's bank account is approved before it is used
    Given the workflow "VBA" is copied from the template "MS-VENDBANKACCAPW" and enabled
    And these vendors:
      | no   | name      |
      | V100 | Fabrikam  |
    And these vendor bank accounts:
      | vendor no | code | iban               |
      | V100      | MAIN | NL91ABNA0417164300 |
    When REQ sends the vendor bank account "V100/MAIN" for approval
    Then the vendor bank account "V100/MAIN" is restricted
    When ANN approves the approval request
    Then the vendor bank account "V100/MAIN" is not restricted

  Scenario: MS-GJLAPW — a journal line stays restricted when its request is canceled
    Given the workflow "GJL" is copied from the template "MS-GJLAPW" and enabled
    And these general journal lines:
      | journal template name | journal batch name | line no | account type | account no | amount |
      | GENERAL               | DEFAULT            | 10000   | G/L Account  | 6100       | 250    |
    When REQ sends the general journal line "GENERAL/DEFAULT/10000" for approval
    Then the general journal line "GENERAL/DEFAULT/10000" is restricted
    When REQ cancels the approval request for the general journal line "GENERAL/DEFAULT/10000"
    Then the general journal line "GENERAL/DEFAULT/10000" is restricted
    And the approval entries for the general journal line "GENERAL/DEFAULT/10000" are:
      | approver | status   |
      | ANN      | Canceled |

  Scenario: MS-GJLAPW — approved journal line
    Given the workflow "GJL" is copied from the template "MS-GJLAPW" and enabled
    And these general journal lines:
      | journal template name | journal batch name | line no | amount |
      | GENERAL               | DEFAULT            | 10000   | 250    |
    When REQ sends the general journal line "GENERAL/DEFAULT/10000" for approval
    And ANN approves the approval request
    Then the general journal line "GENERAL/DEFAULT/10000" is not restricted
    And the workflow instance for the general journal line "GENERAL/DEFAULT/10000" is complete and archived

  Scenario: MS-GJBAPW — a balanced batch is sent for approval
    Given the workflow "GJB" is copied from the template "MS-GJBAPW" and enabled
    And these general journal batches:
      | journal template name | name    |
      | GENERAL               | DEFAULT |
    And these general journal lines:
      | journal template name | journal batch name | line no | amount |
      | GENERAL               | DEFAULT            | 10000   | 250    |
      | GENERAL               | DEFAULT            | 20000   | -250   |
    When REQ sends the general journal batch "GENERAL/DEFAULT" for approval
    Then the general journal batch "GENERAL/DEFAULT" is restricted
    And the timeline says "is balanced (2 line(s))"
    When ANN approves the approval request
    Then the general journal batch "GENERAL/DEFAULT" is not restricted
    And the workflow instance for the general journal batch "GENERAL/DEFAULT" is complete and archived

  Scenario: MS-GJBAPW — a batch out of balance is not sent
    Given the workflow "GJB" is copied from the template "MS-GJBAPW" and enabled
    And these general journal batches:
      | journal template name | name    |
      | GENERAL               | DEFAULT |
    And these general journal lines:
      | journal template name | journal batch name | line no | amount |
      | GENERAL               | DEFAULT            | 10000   | 250    |
    When REQ sends the general journal batch "GENERAL/DEFAULT" for approval
    Then there are no approval entries for the general journal batch "GENERAL/DEFAULT"
    And the general journal batch "GENERAL/DEFAULT" is not restricted
    And the timeline says "is not balanced and cannot be sent for approval"
    And the timeline says "out of balance by 250"
