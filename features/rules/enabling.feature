Feature: Enabling a workflow is refused when BC would refuse it

  Scenario Outline: refused: <why>
    When the workflow is enabled:
      """
      <workflow>
      """
    Then the action is refused with "<message>"
    And the action is refused with "<code>"

    Examples:
      | why                                       | workflow                                                                                                                  | message                      | code  |
      | a notification without a recipient        | workflow N "N"\n  on IncomingDocumentCreated then create a notification                                                   | a recipient is required      | WF412 |
      | approval requests for a group not named   | workflow G "G"\n  on PurchaseDocSentForApproval then create approval requests for workflow user group                    | group                        | WF412 |
      | a response that cannot follow the event   | workflow R "R"\n  on PurchaseDocSentForApproval then release document                                                     | cannot follow                | WF402 |
      | a field the record does not have          | workflow F "F"\n  on PurchaseDocSentForApproval when colour = Red then restrict record usage                              | colour                       | WF2   |

  Scenario: two entry points with the same event and conditions conflict
    When the workflow is enabled:
      """
      workflow X "Two entry points"
        on PurchaseDocSentForApproval when amount > 100 then restrict record usage
        on PurchaseDocSentForApproval when amount > 100 then restrict record usage
      """
    Then the action is refused with "WF41"

  Scenario: the refusal tells which check failed and the workflow stays disabled
    When the workflow is enabled:
      """
      workflow N "N"
        on IncomingDocumentCreated then create a notification
      """
    Then the action is refused with "WF507"
    And the action is refused with "N cannot be enabled"
    And the timeline says "WF412"
