"""The models of reports, each importable from here (``from reports.models import Report``).

report.py: the report, its evidence, events, kajian, sealed accesses and questions relayed to the reporter;
case.py: the terlapor, the register of ASN, each case's events, clarifications and recommendation.
"""

from reports.models.case import CaseEvent, Clarification, Person, Recommendation, Terlapor
from reports.models.report import (
    Evidence,
    ExternalReference,
    Kajian,
    Report,
    ReporterQuestion,
    ReportEvent,
    SealedAccess,
    evidence_path,
    kajian_document_path,
)

__all__ = [
    "CaseEvent",
    "Clarification",
    "Evidence",
    "ExternalReference",
    "Kajian",
    "Person",
    "Recommendation",
    "Report",
    "ReportEvent",
    "ReporterQuestion",
    "SealedAccess",
    "Terlapor",
    "evidence_path",  # named by migrations (upload_to)
    "kajian_document_path",
]
