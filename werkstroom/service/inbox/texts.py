"""The inbox's words in English and Dutch: ``TEXTS[language][key]``, with ``{name}`` placeholders
filled by ``str.format``. The user's language comes from the approval user setup (``language = "nl"``);
before signing in, from the browser's Accept-Language (or ``?lang=``). A test checks that both
languages have every key with the same placeholders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LANGUAGES = ("en", "nl")

EN: dict[str, str] = {
    "app": "Werkstroom",
    "skip": "Skip to the content",
    "nav.label": "Inbox",
    "nav.requests": "Requests to approve",
    "nav.sent": "My sent requests",
    "nav.admin": "All open requests",
    "signed_in_as": "Signed in as {user}",
    "administrator": "approval administrator",
    "sign_out": "Sign out",
    "language": "Language",
    # signing in
    "sign_in.title": "Sign in",
    "sign_in.intro": "Sign in with your user id of the organisation and the password your administrator set.",
    "sign_in.user": "User id",
    "sign_in.password": "Password",
    "sign_in.submit": "Sign in",
    "sign_in.signed_out": "You are signed out.",
    "sign_in.needed": "Please sign in to see this page.",
    # lists
    "filter.legend": "Filter",
    "filter.status": "Status",
    "filter.any": "Any status",
    "filter.search": "Document number",
    "filter.submit": "Show",
    "filter.pending": "Waiting",
    "filter.all": "All",
    "list.count": "{n} entries",
    "list.count_one": "1 entry",
    "list.none": "Nothing here.",
    "list.none_open": "Nothing to approve: no open requests.",
    "col.select": "Select",
    "col.select_entry": "Select entry {no}",
    "col.select_all": "Select all",
    "col.entry": "Entry",
    "col.document": "Document",
    "col.amount": "Amount",
    "col.requester": "Requester",
    "col.approver": "Approver",
    "col.due": "Due date",
    "col.status": "Status",
    "col.sent": "Sent",
    "col.action": "Action",
    "col.stands": "Where it stands",
    "overdue": "overdue",
    "due_today": "due today",
    "bulk.comment": "Comment for the selected entries (optional)",
    "bulk.approve": "Approve selected",
    "row.approve": "Approve",
    "row.approve_label": "Approve entry {no}",
    # one entry
    "entry.title": "{document} (entry {no})",
    "entry.summary": "Request",
    "entry.workflow": "Workflow",
    "entry.step": "Created by",
    "entry.step_text": "step {step} ({name}) of {workflow}, after {event}",
    "entry.step_unknown": "workflow {workflow}",
    "entry.sequence": "Order",
    "entry.record": "The document",
    "entry.record_none": "The document is not stored.",
    "entry.lines": "Lines",
    "entry.history": "Approval history",
    "entry.history_caption": "Every approver of this request, in order",
    "entry.next": "next",
    "entry.later": "later",
    "entry.comments": "Comments",
    "entry.no_comments": "No comments.",
    "entry.actions": "Your decision",
    "entry.comment": "Comment (optional)",
    "entry.approve": "Approve",
    "entry.reject": "Reject",
    "entry.delegate": "Delegate",
    "entry.cancel": "Cancel the request",
    "entry.cancel_help": "Cancels every entry of this request and reopens the document.",
    "entry.not_open": "This entry is {status}: there is nothing to decide.",
    "history.at": "{action} by {user} on {at}",
    "history.waiting": "waiting for {user}",
    "history.waiting_since": "waiting for {user} since {at}",
    # results
    "done.approve": "Approved {document} (entry {no}).",
    "done.reject": "Rejected {document} (entry {no}).",
    "done.delegate": "Delegated {document} (entry {no}) to {user}.",
    "done.cancel": "Canceled the request for {document}.",
    "next.waiting": "Next: waiting for {users}.",
    "next.done": "No approvals are pending; the document is now {status}.",
    "refused": "Entry {no} was not changed: {message}",
    "refused.plain": "Refused: {message}",
    "code": "code {code}",
    # sent requests
    "sent.title": "My sent requests",
    "sent.count": "{n} requests",
    "sent.count_one": "1 request",
    "sent.waiting": "Waiting for {users}",
    "sent.approved": "Approved",
    "sent.rejected": "Rejected by {users}",
    "sent.canceled": "Canceled",
    "sent.cancel": "Cancel",
    "sent.cancel_label": "Cancel the request for {document}",
    # administrator
    "admin.title": "All open requests",
    "admin.intro": "As the approval administrator you may act on every open entry; overdue ones come first.",
    # signed links
    "link.title": "Open an approval entry",
    "link.intro": "This link from your e-mail signs you in as {user} and opens {document} (entry {no}).",
    "link.continue": "Continue",
    "link.once": "The link works once.",
    # errors
    "error.title": "Not possible",
    "error.not_found": "Not found",
    "error.back": "Back to the requests to approve",
    "error.sign_in": "Sign in",
    "WF803": "Too many failed sign-ins from your address. Try again in {seconds} seconds.",
    "WF840": "The user id or the password is not right.",
    "WF841": "The form has expired or did not come from this site. Reload the page and try again; "
             "nothing was changed.",
    "WF842": "You are not signed in, or your session has ended.",
    "WF843": "This link is not valid. Copy the whole link from the e-mail, or sign in with your password.",
    "WF844": "This link has expired. Sign in with your password to open the entry.",
    "WF845": "This link was used already; each link works once. Sign in with your password.",
    "WF846": "There is no such entry among yours.",
    "WF846.page": "This page is only for the approval administrator.",
    "WF848": "The form cannot be taken: {message}",
    "WF517": "Nothing waits for the cancel: workflow {workflow} has no step that takes a canceled request "
             "now, so the request cannot be canceled. Nothing was changed.",
    "form.no_entry": "tick one or more entries",
    "form.action": "unknown action",
    "form.comment": "the comment has more than {n} characters",
    "form.text": "a field holds a character that cannot be stored",
    # statuses and words of the engine
    "status.Created": "Created",
    "status.Open": "Open",
    "status.Approved": "Approved",
    "status.Rejected": "Rejected",
    "status.Canceled": "Canceled",
    "action.approve": "Approved",
    "action.reject": "Rejected",
    "action.delegate": "Delegated",
    "action.comment": "Commented",
    "action.quorum": "Closed by the quorum",
    "action.approve all": "Approved with the request",
    "action.reject all": "Rejected with the request",
    "action.cancel all": "Canceled with the request",
}

NL: dict[str, str] = {
    "app": "Werkstroom",
    "skip": "Naar de inhoud",
    "nav.label": "Postvak",
    "nav.requests": "Goed te keuren",
    "nav.sent": "Mijn verzonden aanvragen",
    "nav.admin": "Alle open aanvragen",
    "signed_in_as": "Aangemeld als {user}",
    "administrator": "goedkeuringsbeheerder",
    "sign_out": "Afmelden",
    "language": "Taal",
    "sign_in.title": "Aanmelden",
    "sign_in.intro": "Meld u aan met uw gebruikers-id van de organisatie en het wachtwoord dat uw beheerder "
                     "instelde.",
    "sign_in.user": "Gebruikers-id",
    "sign_in.password": "Wachtwoord",
    "sign_in.submit": "Aanmelden",
    "sign_in.signed_out": "U bent afgemeld.",
    "sign_in.needed": "Meld u aan om deze pagina te zien.",
    "filter.legend": "Filter",
    "filter.status": "Status",
    "filter.any": "Elke status",
    "filter.search": "Documentnummer",
    "filter.submit": "Tonen",
    "filter.pending": "Wachtend",
    "filter.all": "Alle",
    "list.count": "{n} posten",
    "list.count_one": "1 post",
    "list.none": "Niets te tonen.",
    "list.none_open": "Niets goed te keuren: geen open aanvragen.",
    "col.select": "Selecteren",
    "col.select_entry": "Post {no} selecteren",
    "col.select_all": "Alles selecteren",
    "col.entry": "Post",
    "col.document": "Document",
    "col.amount": "Bedrag",
    "col.requester": "Aanvrager",
    "col.approver": "Goedkeurder",
    "col.due": "Vervaldatum",
    "col.status": "Status",
    "col.sent": "Verzonden",
    "col.action": "Actie",
    "col.stands": "Stand van zaken",
    "overdue": "te laat",
    "due_today": "vandaag",
    "bulk.comment": "Opmerking bij de geselecteerde posten (optioneel)",
    "bulk.approve": "Geselecteerde goedkeuren",
    "row.approve": "Goedkeuren",
    "row.approve_label": "Post {no} goedkeuren",
    "entry.title": "{document} (post {no})",
    "entry.summary": "Aanvraag",
    "entry.workflow": "Werkstroom",
    "entry.step": "Gemaakt door",
    "entry.step_text": "stap {step} ({name}) van {workflow}, na {event}",
    "entry.step_unknown": "werkstroom {workflow}",
    "entry.sequence": "Volgorde",
    "entry.record": "Het document",
    "entry.record_none": "Het document is niet opgeslagen.",
    "entry.lines": "Regels",
    "entry.history": "Goedkeuringsgeschiedenis",
    "entry.history_caption": "Alle goedkeurders van deze aanvraag, op volgorde",
    "entry.next": "volgende",
    "entry.later": "later",
    "entry.comments": "Opmerkingen",
    "entry.no_comments": "Geen opmerkingen.",
    "entry.actions": "Uw besluit",
    "entry.comment": "Opmerking (optioneel)",
    "entry.approve": "Goedkeuren",
    "entry.reject": "Afwijzen",
    "entry.delegate": "Delegeren",
    "entry.cancel": "Aanvraag annuleren",
    "entry.cancel_help": "Annuleert alle posten van deze aanvraag en heropent het document.",
    "entry.not_open": "Deze post is {status}: er valt niets te beslissen.",
    "history.at": "{action} door {user} op {at}",
    "history.waiting": "wacht op {user}",
    "history.waiting_since": "wacht sinds {at} op {user}",
    "done.approve": "{document} (post {no}) goedgekeurd.",
    "done.reject": "{document} (post {no}) afgewezen.",
    "done.delegate": "{document} (post {no}) gedelegeerd aan {user}.",
    "done.cancel": "De aanvraag voor {document} is geannuleerd.",
    "next.waiting": "Volgende: wacht op {users}.",
    "next.done": "Er wacht geen goedkeuring meer; het document is nu {status}.",
    "refused": "Post {no} is niet gewijzigd: {message}",
    "refused.plain": "Geweigerd: {message}",
    "code": "code {code}",
    "sent.title": "Mijn verzonden aanvragen",
    "sent.count": "{n} aanvragen",
    "sent.count_one": "1 aanvraag",
    "sent.waiting": "Wacht op {users}",
    "sent.approved": "Goedgekeurd",
    "sent.rejected": "Afgewezen door {users}",
    "sent.canceled": "Geannuleerd",
    "sent.cancel": "Annuleren",
    "sent.cancel_label": "De aanvraag voor {document} annuleren",
    "admin.title": "Alle open aanvragen",
    "admin.intro": "Als goedkeuringsbeheerder mag u op elke open post reageren; posten die te laat zijn, "
                   "staan bovenaan.",
    "link.title": "Een goedkeuringspost openen",
    "link.intro": "Deze link uit uw e-mail meldt u aan als {user} en opent {document} (post {no}).",
    "link.continue": "Doorgaan",
    "link.once": "De link werkt één keer.",
    "error.title": "Niet mogelijk",
    "error.not_found": "Niet gevonden",
    "error.back": "Terug naar goed te keuren",
    "error.sign_in": "Aanmelden",
    "WF803": "Te veel mislukte aanmeldingen vanaf uw adres. Probeer het over {seconds} seconden opnieuw.",
    "WF840": "Het gebruikers-id of het wachtwoord klopt niet.",
    "WF841": "Het formulier is verlopen of kwam niet van deze site. Laad de pagina opnieuw en probeer het "
             "nog eens; er is niets gewijzigd.",
    "WF842": "U bent niet aangemeld, of uw sessie is beëindigd.",
    "WF843": "Deze link is ongeldig. Kopieer de hele link uit de e-mail, of meld u aan met uw wachtwoord.",
    "WF844": "Deze link is verlopen. Meld u aan met uw wachtwoord om de post te openen.",
    "WF845": "Deze link is al gebruikt; elke link werkt één keer. Meld u aan met uw wachtwoord.",
    "WF846": "Er is geen zulke post bij de uwe.",
    "WF846.page": "Deze pagina is alleen voor de goedkeuringsbeheerder.",
    "WF848": "Het formulier kan niet worden verwerkt: {message}",
    "WF517": "Niets wacht op de annulering: werkstroom {workflow} heeft nu geen stap die een geannuleerde "
             "aanvraag verwerkt, dus de aanvraag kan niet worden geannuleerd. Er is niets gewijzigd.",
    "form.no_entry": "vink een of meer posten aan",
    "form.action": "onbekende actie",
    "form.comment": "de opmerking heeft meer dan {n} tekens",
    "form.text": "een veld bevat een teken dat niet kan worden opgeslagen",
    "status.Created": "Aangemaakt",
    "status.Open": "Open",
    "status.Approved": "Goedgekeurd",
    "status.Rejected": "Afgewezen",
    "status.Canceled": "Geannuleerd",
    "action.approve": "Goedgekeurd",
    "action.reject": "Afgewezen",
    "action.delegate": "Gedelegeerd",
    "action.comment": "Opmerking geplaatst",
    "action.quorum": "Gesloten door het quorum",
    "action.approve all": "Goedgekeurd met de aanvraag",
    "action.reject all": "Afgewezen met de aanvraag",
    "action.cancel all": "Geannuleerd met de aanvraag",
}

# Business Central's document types and statuses in Dutch (its own Dutch captions)
NL_WORDS: dict[str, str] = {
    "Quote": "Offerte", "Order": "Order", "Invoice": "Factuur", "Credit Memo": "Creditnota",
    "Blanket Order": "Raamcontract", "Return Order": "Retourorder", "Open": "Open",
    "Released": "Vrijgegeven", "Pending Approval": "Wacht op goedkeuring",
    "Pending Prepayment": "Wacht op vooruitbetaling",
}

TEXTS: dict[str, dict[str, str]] = {"en": EN, "nl": NL}

Translate = Callable[..., str]


def language(value: str | None) -> str:
    """``value`` if it is a language of the inbox, else English."""
    return value if value in TEXTS else "en"


def translator(lang: str) -> Translate:
    """``t(key, **values)`` in ``lang``."""
    table = TEXTS[language(lang)]

    def t(key: str, **values: Any) -> str:
        text = table.get(key) or EN.get(key) or key
        return text.format(**values) if values else text

    return t


def word(lang: str, value: str) -> str:
    """A document type or status of the engine in ``lang`` (unknown words as they are)."""
    return NL_WORDS.get(value, value) if lang == "nl" else value


def preferred(accept_language: str | None) -> str:
    """The first language of the inbox in an Accept-Language header (by its q values), else en."""
    best, best_q = "en", -1.0
    for part in (accept_language or "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = tag.strip().lower().split("-")[0]
        if lang in TEXTS and q > best_q:
            best, best_q = lang, q
    return best
