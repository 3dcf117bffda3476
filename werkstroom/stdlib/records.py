"""Fields that several business areas' record types share: the totals, dates and dimensions of a sales
or purchase document header. Each area module (purchase, sales, masterdata, ...) declares the record
types its events carry, with typed snake_case fields; money and quantities are DECIMAL and ``bc_name``
on every field is BC's caption, shown in docs and the CLI.
"""

from __future__ import annotations

from ..extend import FieldSpec
from ._build import code, date, dec


def document_totals_and_dates() -> tuple[FieldSpec, ...]:
    """The totals, currency and dates every sales and purchase header has, in BC's order."""
    return (
        dec(
            "amount",
            "Amount",
            "Total of the lines excluding VAT, in the document currency.",
            flowfield=True,
        ),
        dec("amount_including_vat", "Amount Including VAT", "Total including VAT.", flowfield=True),
        dec("amount_lcy", "Amount (LCY)", "Amount excluding VAT in local currency (used for limits)."),
        code("currency_code", "Currency Code", "Blank for local currency.", 10),
        dec("currency_factor", "Currency Factor"),
        date("document_date", "Document Date"),
        date("posting_date", "Posting Date"),
        date("order_date", "Order Date"),
    )


def document_dimensions() -> tuple[FieldSpec, ...]:
    """Location, responsibility center, the two shortcut dimensions and payment terms of a header."""
    return (
        code("location_code", "Location Code", length=10),
        code("responsibility_center", "Responsibility Center", length=10),
        code("shortcut_dimension_1_code", "Shortcut Dimension 1 Code"),
        code("shortcut_dimension_2_code", "Shortcut Dimension 2 Code"),
        code("payment_terms_code", "Payment Terms Code", length=10),
    )
