"""Record types and events of the expenses library (pure declarations, no behaviour)."""

from __future__ import annotations

from werkstroom.extend import EnumType, EventSpec, FieldKind, FieldSpec, RecordSpec, RelationSpec

STATUS = EnumType("ExpenseReportStatus", ("Open", "Submitted", "Booked", "Paid", "Rejected"))
CATEGORY = EnumType("ExpenseCategory", ("Travel", "Lodging", "Meals", "Mileage", "Other"))

EXPENSE_REPORT = RecordSpec(
    name="ExpenseReport",
    description="An employee's expense report: costs paid privately that the company reimburses.",
    fields=(
        FieldSpec("no", FieldKind.CODE, "The report number.", bc_name="No.", max_length=20),
        FieldSpec("employee_no", FieldKind.CODE, "The employee who spent the money.", bc_name="Employee No.",
                  max_length=20),
        FieldSpec("vendor_no", FieldKind.CODE, "The employee's vendor account: reimbursements are paid "
                  "through payables.", bc_name="Vendor No.", max_length=20),
        FieldSpec("description", FieldKind.TEXT, "What the expenses were for.", bc_name="Description",
                  max_length=100),
        FieldSpec("amount", FieldKind.DECIMAL, "The total to reimburse, in the report's currency.",
                  bc_name="Amount"),
        FieldSpec("currency_code", FieldKind.CODE, "Blank for the local currency.", bc_name="Currency Code",
                  max_length=10),
        FieldSpec("expense_date", FieldKind.DATE, "When the last expense was made.", bc_name="Expense Date"),
        FieldSpec("status", FieldKind.ENUM, "Open, Submitted, Booked, Paid or Rejected.", enum=STATUS,
                  bc_name="Status"),
    ),
    key=("no",),
    relations=(
        RelationSpec("lines", "ExpenseReportLine", True, (("no", "report_no"),), "The report's expenses."),
        RelationSpec("vendor", "Vendor", False, (("vendor_no", "no"),), "The employee's vendor account."),
    ),
    bc_name="Expense Report",
    table_id=50100,
)

EXPENSE_REPORT_LINE = RecordSpec(
    name="ExpenseReportLine",
    description="One expense on an expense report.",
    fields=(
        FieldSpec("report_no", FieldKind.CODE, "The report the line belongs to.", bc_name="Report No.",
                  max_length=20),
        FieldSpec("line_no", FieldKind.INTEGER, "The line number.", bc_name="Line No."),
        FieldSpec("category", FieldKind.ENUM, "Travel, Lodging, Meals, Mileage or Other.", enum=CATEGORY,
                  bc_name="Category"),
        FieldSpec("description", FieldKind.TEXT, "What was bought.", bc_name="Description", max_length=100),
        FieldSpec("amount", FieldKind.DECIMAL, "What it cost.", bc_name="Amount"),
    ),
    key=("report_no", "line_no"),
    bc_name="Expense Report Line",
    table_id=50101,
)

RECORDS = (EXPENSE_REPORT, EXPENSE_REPORT_LINE)

SUBMITTED = EventSpec(
    name="ExpenseReportSubmitted",
    description="An employee submitted an expense report for reimbursement.",
    record="ExpenseReport",
)

SENT_FOR_APPROVAL = EventSpec(
    name="ExpenseReportSentForApproval",
    description="An employee sent an expense report for approval (larger amounts, other costs).",
    record="ExpenseReport",
)

PAID = EventSpec(
    name="ExpenseReportPaid",
    description="The reimbursement of an expense report was paid to the employee.",
    record="ExpenseReport",
    predecessors=("ExpenseReportSubmitted", "ExpenseReportSentForApproval", "ApprovalRequestApproved"),
)


EVENTS = (SUBMITTED, SENT_FOR_APPROVAL, PAID)

# Plug expense reports into the stdlib's approvals (BC's AddEventPredecessor / AddResponsePredecessor):
# approval-entry events may follow a report sent for approval, and the approval responses may run then.
APPROVAL_EVENTS = ("ApprovalRequestApproved", "ApprovalRequestRejected", "ApprovalRequestDelegated")
APPROVAL_RESPONSES = ("create_approval_requests", "send_approval_requests", "request_approval")

EVENT_PREDECESSORS = tuple((event, SENT_FOR_APPROVAL.name) for event in APPROVAL_EVENTS)
RESPONSE_PREDECESSORS = tuple((response, SENT_FOR_APPROVAL.name) for response in APPROVAL_RESPONSES)
