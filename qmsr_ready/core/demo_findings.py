"""Findings, evidence files and the earlier gap assessment of the demonstration workspace.

Due dates are days relative to the demo's ``today`` so some are always overdue. ``{y}`` and
``{py}`` are the current and previous year, ``{dN}`` the date N days before today.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoFinding:
    """A finding as raised, plus the status it is driven to and where it first stood."""

    title: str
    classification: str
    questions: tuple[str, ...]
    evidence: str
    requirement: str
    status: str
    owner: str = ""
    due_in_days: int | None = None
    likely_483: bool = False
    severity: int = 3
    likelihood: int = 3
    correction: str = ""
    root_cause: str = ""
    corrective_action: str = ""
    capa_reference: str = ""
    effectiveness_check: str = ""
    raised_as: str = ""  # classification when first raised, if it was later changed
    fields_later: tuple[str, ...] = field(default=())  # filled in by update after raising


BASELINE_FINDINGS: tuple[DemoFinding, ...] = (
    DemoFinding(
        "Complaints alleging patient injury closed without an MDR reportability decision",
        "critical", ("MA-03-Q03", "OA-01-Q01"),
        "CMP-{y}-0412 (patient skin burn under ThermaSense TX-200 adhesive patch) and "
        "CMP-{y}-0437 (blistering after 48 h wear) were closed as 'no further action' with the "
        "MDR decision field blank and no evaluation against Part 803 criteria. Awareness dates "
        "are 61 and 42 days before the mock; if reportable, the 30-day deadline has passed. "
        "2 of 10 complaints sampled.",
        "21 CFR 803.17 and 803.50; 21 CFR 820.10(b)(3); ISO 13485:2016 8.2.2 and 8.2.3",
        "action_planned", "Eimear Murphy", -4, True, 5, 3,
        correction="Both complaints reopened and evaluated on day 2 of the mock; CMP-{y}-0412 "
                   "judged reportable, MDR MW-{y}-005 filed. Retrospective review of all 212 "
                   "complaints this year under way.",
        root_cause="Complaint closure screen allows closure with the MDR decision blank; "
                   "SOP-CH-001 relies on the specialist remembering to route injury "
                   "complaints to vigilance.",
        corrective_action="Make the MDR decision a mandatory field before closure in the "
                          "complaint module; revise SOP-CH-001 and SOP-MDR-003; retrain "
                          "complaint handlers; retrospective review of 24 months of complaints.",
        capa_reference="CAPA-0402", raised_as="major",
        fields_later=("correction", "root_cause", "corrective_action", "capa_reference"),
    ),
    DemoFinding(
        "Pre-release label examination does not record the five 820.45(a) checks",
        "major", ("PS-03-Q03", "PS-03-Q04"),
        "Label inspection records for VitaLine lots VL-{y}-1184, VL-{y}-1192 and VL-{y}-1207 "
        "carry one 'labels OK' signature on F-PKG-022 rev B. The UDI, expiry date, storage, "
        "handling and further-processing checks are not recorded separately; the operator "
        "confirms expiry is checked by eye. Labeling release LR-2291 attached for comparison.",
        "21 CFR 820.45(a); ISO 13485:2016 7.5.1",
        "awaiting_verification", "Marek Nowak", 10, True, 4, 3,
        correction="Lots in quarantine re-examined against the five checks; no label errors.",
        root_cause="F-PKG-022 was not revised when the QMSR took effect; CAPA-0391 from the "
                   "gap assessment changed the procedure but not the form.",
        corrective_action="F-PKG-022 rev C with one signed line per 820.45(a) check; "
                          "packaging operators trained (TR-{y}-0418); form change tracked "
                          "under CAPA-0391.",
        capa_reference="CAPA-0391",
    ),
    DemoFinding(
        "Complaint records lack the UDI and complainant contact details",
        "major", ("MA-03-Q01",),
        "3 of 6 closed complaints sampled (CMP-{y}-0412, CMP-{y}-0437, CMP-{y}-0455) record no "
        "UDI, UPC or lot; CMP-{y}-0437 has no complainant phone number. No follow-up request "
        "for the missing data is recorded. Complaint log extract attached.",
        "21 CFR 820.35(a)(3) and (a)(4); ISO 13485:2016 8.2.2",
        "open", "Aoife Keane", -3, True, 3, 4,
    ),
    DemoFinding(
        "Obsolete work instruction and test limit card at point of use",
        "minor", ("PS-03-Q01", "DD-10-Q03"),
        "WI-PKG-014 rev G found beside rev H at packaging station 3; test limit card TLC-FT2 "
        "rev C in use at final test station FT-2 while rev D is released.",
        "ISO 13485:2016 4.2.4 e) and f)",
        "closed", "Niamh Doyle", -10, False, 2, 2,
        correction="Obsolete copies removed and destroyed the same day (witnessed).",
        root_cause="Floor copies were reconciled only at annual document review.",
        corrective_action="Weekly reconciliation of controlled floor copies against the "
                          "eQMS issue list added to SOP-DC-002 rev 8.",
        capa_reference="CAPA-0398",
        effectiveness_check="Two weekly reconciliations (weeks 46 and 47) found zero obsolete "
                            "copies across 212 controlled floor documents. Closed.",
    ),
    DemoFinding(
        "Management review records no conclusion on QMS suitability, adequacy and effectiveness",
        "minor", ("MO-11-Q03",),
        "Neither MR-{py}-02 nor MR-{y}-01 records the required assessment of whether the QMS "
        "remains suitable, adequate and effective; the minutes template has no such section. "
        "These records are now open to FDA review.",
        "ISO 13485:2016 5.6.1; 21 CFR 820.10(a)",
        "action_planned", "Zoë Łukasiewicz", 35, False, 2, 3,
        corrective_action="Add a signed conclusion section to the management review template "
                          "(F-QA-011) and complete it at MR-{y}-02.",
        capa_reference="CAPA-0403",
    ),
    DemoFinding(
        "Quality agreement with PCBA supplier has no records turnaround time for inspections",
        "observation", ("OP-01-Q01",),
        "QA-KES-01 rev A with Kestrel Electronics (TX-200 PCBA) does not say how fast records "
        "must be provided when FDA asks for them during an inspection.",
        "ISO 13485:2016 4.1.5 and 7.4.1",
        "closed", "Grace Fitzgerald", -7, False, 2, 2,
        corrective_action="QA-KES-01 rev B signed: records within 24 h during a regulatory "
                          "inspection; template QA-TPL-01 updated for all suppliers.",
        effectiveness_check="Mock records request to Kestrel on 3 batch travellers answered in "
                            "19 hours. Closed.",
    ),
    DemoFinding(
        "Internal audit checklists still organised by the old Part 820 sections",
        "observation", ("MA-04-Q02",),
        "IA-{y}-05 (production) and IA-{y}-07 (labeling) used checklists built on 820.70 and "
        "820.120 paragraphs; ISO 13485:2016 clauses and 820.45 do not appear.",
        "ISO 13485:2016 8.2.4; 21 CFR 820.10(a)",
        "open", "Zoë Łukasiewicz", 60,
    ),
    DemoFinding(
        "Split complaint trending by UDI-DI and lot to reveal clusters",
        "ofi", ("MA-08-Q02",),
        "Q3 trend report counts 8 adhesive complaints against 11 in the log (3 coded 'other') "
        "and shows no split by lot or DI, hiding the cluster on lot TX-{y}-0931.",
        "ISO 13485:2016 8.4",
        "awaiting_verification", "Aoife Keane", 21, False, 2, 2,
        corrective_action="Trend report TR template rev 4 adds DI and lot pivots and a coding "
                          "check of 'other'; first run on October data.",
    ),
    DemoFinding(
        "Shipped firmware 3.4.1 not covered by software validation or regression rationale",
        "major", ("DD-08-Q02", "CC-03-Q02"),
        "Lots TX-{y}-0931 and TX-{y}-0944 shipped with firmware 3.4.1; SVR-TX200-FW-3.4.0 covers "
        "3.4.0 only. CR-{y}-0251 has a release note but no regression test selection, no "
        "rationale and no regulatory (510(k)) assessment.",
        "ISO 13485:2016 7.3.9 and 7.3.7; 21 CFR 820.10(c)",
        "action_planned", "Liam O'Connor", -6, True, 4, 3,
        corrective_action="Retrospective regression suite on 3.4.1 under protocol SVP-{y}-014; "
                          "letter-to-file regulatory assessment; CR workflow to block release "
                          "without a validation reference.",
        capa_reference="CAPA-0404",
    ),
)

GAP_FINDINGS: tuple[DemoFinding, ...] = (
    DemoFinding(
        "Complaint form does not capture the 820.35(a) record elements",
        "major", ("SUBM-05-Q01",),
        "F-CH-001 rev 9 has no fields for UDI/UPC or the complainant's phone number.",
        "21 CFR 820.35(a)", "closed", "Aoife Keane", -200, True, 3, 3,
        corrective_action="F-CH-001 rev 10 and complaint module updated.",
        capa_reference="CAPA-0389",
        effectiveness_check="Ten complaints logged after go-live checked: all fields present.",
    ),
    DemoFinding(
        "Labeling procedure lacks the 820.45 pre-release checks and labeling release",
        "major", ("SUBK-01-Q01",),
        "SOP-PKG-010 rev 7 still mirrors 820.120; no separate checks or documented release.",
        "21 CFR 820.45(a) and (b)", "action_planned", "Marek Nowak", -150, True, 4, 3,
        corrective_action="Rewrite SOP-PKG-010 to 820.45; revise forms; train packaging.",
        capa_reference="CAPA-0391",
    ),
    DemoFinding(
        "Service report form omits the UDI",
        "minor", ("SUBN-01-Q01",),
        "F-SVC-003 rev C records serial number but not the UDI or UPC.",
        "21 CFR 820.35(b)", "open", "Ciarán Walsh",
    ),
)

GAP_NOTES: dict[str, tuple[str, str]] = {
    "SUBM-05-Q01": ("major_gap", "F-CH-001 rev 9 lacks UDI/UPC and complainant phone."),
    "SUBK-01-Q01": ("major_gap", "SOP-PKG-010 rev 7 unchanged since the QSR; see F-002."),
    "SUBN-01-Q01": ("minor_gap", "Service form has serial number only; UDI missing."),
    "SUBJ-01-Q01": ("minor_gap", "SOP-QA-016 covers CAPA as one process; preventive action "
                    "not separated, no pre-implementation safety check field."),
    "SUBB-02-Q01": ("minor_gap", "Audit checklists still by 820 section."),
    "SUBF-02-Q01": ("not_applicable", "No implants or life-supporting devices."),
    "SUBL-04-Q01": ("not_applicable", "The site does not install devices."),
    "SUBM-01-Q01": ("conforms", "SOP-QA-005 rev 9 removed the 820.180(c) exemption."),
}

COMPLAINT_LOG_HEADER = (
    "complaint_id,received,device,udi_di,lot_or_serial,complainant,phone,event,"
    "mdr_decision,mdr_decided_by,status"
)
COMPLAINT_ROWS = (
    "CMP-{y}-0298,{d258},VitaLine IV set,05391234560017,VL-{y}-0412,St. Luke's Hospital,"
    "+1 617 555 0142,Occlusion during infusion,Reportable (MW-{y}-001),E. Murphy,Closed",
    "CMP-{y}-0377,{d146},ThermaSense TX-200,05391234560208,SN TX2-004417,Mercy General,"
    "+1 916 555 0190,Reading drift after battery swap,Not reportable,E. Murphy,Closed",
    "CMP-{y}-0412,{d61},ThermaSense TX-200,,,R. Alvarez (home care nurse),+1 305 555 "
    "0111,Skin burn under adhesive patch,,,Closed",
    "CMP-{y}-0437,{d42},ThermaSense TX-200,,,Bayview Clinic,,Blistering after 48 h wear,"
    ",,Closed",
    "CMP-{y}-0455,{d35},VitaLine IV set,,,Northside Surgical Center,+1 312 555 0167,"
    "Roller clamp cracked on opening,Not reportable,E. Murphy,Closed",
    "CMP-{y}-0461,{d27},ThermaSense TX-200,05391234560208,SN TX2-005102,"
    "Mercy General,+1 916 555 0190,App lost connection,Not reportable,E. Murphy,Closed",
)

LABEL_RELEASE = """LABELING RELEASE RECORD  LR-2291
Product:          VitaLine IV administration set, 180 cm (VL-100)
Label:            LBL-VL100-03 rev D (pouch) / LBL-VL100-05 rev B (shipper)
Change order:     CR-{y}-0187 (new expiry format YYYY-MM-DD per 21 CFR 801.18)
Artwork checked against MDF-VL100 rev K section 6 (labeling specification)

Checks performed on proof                  Result   By
  Device identification incl. UDI (AIDC)   Pass     M. Nowak
  Expiry date format                       Pass     M. Nowak
  Storage instructions                     Pass     M. Nowak
  Handling instructions                    Pass     M. Nowak
  Further processing instructions (n/a)    N/A      M. Nowak

Released for use:  RA  Priya Raman         signed electronically
                   QA  Siobhán Ní Bhriain  signed electronically
Effective from print run PR-{y}-0398
"""

EO_LOAD_REPORT_HEADER = "load,cycle_date,chamber,ei_ppm,exposure_h,rh_pct,temp_c,bi_result,release"
EO_LOAD_ROWS = (
    "EO-{y}-118,{d98},CH-2,612,6.0,61,54.2,Negative (7 d),T. Brennan",
    "EO-{y}-121,{d84},CH-2,608,6.0,63,54.0,Negative (7 d),T. Brennan",
    "EO-{y}-127,{d56},CH-1,615,6.1,60,54.5,Negative (7 d),T. Brennan",
)

MR_MINUTES = """MANAGEMENT REVIEW MR-{y}-01 — extract (agenda and outputs)
Chair: Pádraig Flynn (Operations Director)   Quality: Zoë Łukasiewicz
Inputs: feedback and complaints (47 in Q1), MDRs (2), audits IA-{py}-09..IA-{y}-02,
process and product monitoring, CAPA status (14 open, 2 overdue), follow-up of MR-{py}-02,
changes affecting the QMS (QMSR effective 2 Feb 2026), new regulatory requirements.
Outputs:
  MR-{y}-01-A1  Resource one additional complaint handler        Owner P. Flynn   Due Q3
  MR-{y}-01-A2  Launch DCR-{y}-022 (TX-200 adhesive change)      Owner R. Iyer    Due Q4
  MR-{y}-01-A3  Complete QMSR transition CAPAs 0389 and 0391     Owner Z. Łukasiewicz
(No recorded conclusion on suitability, adequacy and effectiveness — see finding F-005.)
"""
