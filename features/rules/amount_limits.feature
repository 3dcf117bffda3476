Feature: Which amount limit applies: purchase, sales or request
  Purchase documents are checked against the purchase limit, except quotes, which BC checks against
  the request limit; sales documents against the sales limit. A limit of 0 means no authority unless
  the user is unlimited; the top of the chain is always sufficient.

  Background:
    Given the approval users:
      | user | approver | purchase limit | sales limit | request limit |
      | REQ  | ANN      |                |             |               |
      | ANN  | BOB      | 1000           | 8000        | 6000          |
      | BOB  | BOB      |                |             |               |
    And the workflow is enabled:
      """
      workflow PUR "Purchase documents"
        on PurchaseDocSentForApproval when status = Open then
           create approval requests for approver chain
           send approval requests
      """
    And the workflow is enabled:
      """
      workflow SAL "Sales documents"
        on SalesDocSentForApproval when status = Open then
           create approval requests for approver chain
           send approval requests
      """

  Scenario Outline: a <document> of <amount> is approved up to <last>
    Given a <document> "D1" of <amount>
    When REQ sends the <document> "D1" for approval
    Then the approval entries for the <document> "D1" read "<entries>"

    Examples: the purchase limit
      | document          | amount | last | entries                             |
      | purchase order    | 900    | ANN  | REQ Approved, ANN Open              |
      | purchase invoice  | 5000   | BOB  | REQ Approved, ANN Open, BOB Created |
    Examples: quotes use the request limit
      | document          | amount | last | entries                             |
      | purchase quote    | 5000   | ANN  | REQ Approved, ANN Open              |
      | purchase quote    | 7000   | BOB  | REQ Approved, ANN Open, BOB Created |
    Examples: the sales limit
      | document          | amount | last | entries                             |
      | sales order       | 7000   | ANN  | REQ Approved, ANN Open              |
      | sales invoice     | 9000   | BOB  | REQ Approved, ANN Open, BOB Created |
