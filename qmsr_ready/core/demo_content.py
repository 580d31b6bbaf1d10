"""What the demonstration workspace says: sites, people and the Model 2 answers.

Written the way an auditor writes working notes, so a quality lead judging the product sees
records, samples and names rather than placeholders. ``{y}`` and ``{py}`` stand for the demo's
current and previous year, so record numbers stay plausible whatever ``today`` is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from qmsr_ready.core.profile import SiteProfile


class SiteSeed(TypedDict):
    """The keyword arguments ``services.create_site`` takes for a demo site."""

    code: str
    name: str
    fei_number: str
    address: str
    profile: SiteProfile


GALWAY: SiteSeed = {
    "code": "SITE-001",
    "name": "Northbridge Medical — Galway Road plant",
    "fei_number": "3014827765",
    "address": "Unit 4, Galway Road Business Park\nTuam, Co. Galway H54 X2K7\nIreland",
    "profile": SiteProfile(
        device_classes=("I", "II"), sterile_products=True, software_in_device=True,
        servicing=True,
    ),
}
ATHLONE: SiteSeed = {
    "code": "SITE-002",
    "name": "Northbridge Medical — Athlone positioning products",
    "fei_number": "3016602391",
    "address": "Blyry Industrial Estate\nAthlone, Co. Westmeath N37 R2F4\nIreland",
    "profile": SiteProfile(device_classes=("I",)),
}

LEAD = "Siobhán Ní Bhriain"
TEAM = ("Declan Moran (Quality Engineer)", "Priya Raman (Regulatory Affairs)")
DIRECTOR = "Zoë Łukasiewicz"

# Interviewees, by role, as they appear in the notes.
AK = "Aoife Keane, Complaint Handling Specialist"
TB = "Tomás Brennan, Sterilization Engineer"
MN = "Marek Nowak, Production Supervisor, Line 2"
ZL = "Zoë Łukasiewicz, QA/RA Director"
LO = "Liam O'Connor, Software Engineering Lead"
GF = "Grace Fitzgerald, Supplier Quality Engineer"
CW = "Ciarán Walsh, Service Manager"
ND = "Niamh Doyle, Document Control Coordinator"
RI = "Rajesh Iyer, Design Assurance Engineer"
EM = "Eimear Murphy, Vigilance & MDR Specialist"
PF = "Pádraig Flynn, Operations Director"

BASELINE_SCOPE = (
    "Rehearsal of a baseline surveillance inspection (Model 2) of the Galway Road plant ahead "
    "of the expected FDA visit. Products in scope: VitaLine IV administration sets (class II, "
    "EO-sterilized at Steri-Tech Athenry, single use) and the ThermaSense TX-200 continuous "
    "temperature monitor (class II, firmware and companion app). ComfortPos positioning "
    "wedges (class I, exempt) sampled only where records are shared. PS-05 added because the "
    "site services TX-200 base stations and 820.35(b) service records are new under the QMSR."
)
FOR_CAUSE_SCOPE = (
    "Rehearsal of a for-cause inspection following the rise in ThermaSense TX-200 adhesive "
    "patch complaints (skin irritation, two alleged burns) in Q3. Expect the investigator to "
    "start from complaints and MDR decisions and follow them into CAPA, design changes and "
    "supplier control of the adhesive."
)


@dataclass(frozen=True)
class Answer:
    """One recorded response: result, working notes and the sample behind them."""

    result: str
    notes: str
    population: int | None = None
    size: int | None = None
    records: tuple[str, ...] = ()
    who: tuple[str, ...] = ()


C, MI, MA, NA, NS = "conforms", "minor_gap", "major_gap", "not_applicable", "not_assessed"

ANSWERS: dict[str, Answer] = {
    "MO-05-Q01": Answer(C, "MDF-TX200 rev F and MDF-VL100 rev K reviewed against the index in "
        "SOP-QA-004. Both hold or reference intended use, IFU, specifications, manufacturing "
        "and packaging procedures, test methods, service requirements (TX-200) and the risk "
        "management file (RMF-TX200 rev 7, RMF-VL100 rev 12).", 2, 2,
        ("MDF-TX200 rev F", "MDF-VL100 rev K"), (ND, RI)),
    "MO-05-Q02": Answer(C, "WI-PKG-014 rev H and label template LBL-VL100-03 rev D on the "
        "packaging line match the MDF index revisions; both changes (CR-{y}-0187, "
        "CR-{y}-0203) updated the MDF in the same change order.", 2, 2,
        ("WI-PKG-014 rev H", "LBL-VL100-03 rev D", "CR-{y}-0187", "CR-{y}-0203"), (ND,)),
    "MO-11-Q01": Answer(C, "Management reviews MR-{py}-02 (Nov) and MR-{y}-01 (May) hold "
        "every 5.6.2 input with data. Complaint count for Q1 (47) agrees with the complaint "
        "log; open CAPA count (14) agrees with the CAPA register on the review date.", 2, 2,
        ("MR-{py}-02", "MR-{y}-01"), (ZL, PF)),
    "MO-11-Q03": Answer(MI, "Full records handed over without an 'FDA version', and the "
        "planned six-month interval was kept. But neither MR-{py}-02 nor MR-{y}-01 records a "
        "conclusion on whether the QMS remains suitable, adequate and effective (5.6.1); the "
        "template has no field for it. Raised F-005.", 2, 2,
        ("MR-{py}-02", "MR-{y}-01", "SOP-QA-011 rev 6"), (ZL,)),
    "MO-11-Q04": Answer(C, "Risk is a standing agenda item. MR-{y}-01 reviewed RMF-TX200 "
        "updates after the adhesive complaints and decided on design change DCR-{y}-022.", 2, 2,
        ("MR-{y}-01", "RMF-TX200 rev 7"), (ZL,)),
    "MO-14-Q01": Answer(C, "RMF-VL100 rev 12 follows SOP-RM-001 (ISO 14971:2019). Hazards, "
        "hazardous situations and harms are separated; acceptance matrix applied; the overall "
        "residual risk decision is signed by design assurance and the medical advisor.", 1, 1,
        ("RMF-VL100 rev 12", "SOP-RM-001 rev 4"), (RI,)),
    "MO-14-Q02": Answer(MI, "Complaint CMP-{y}-0298 (occlusion, possible harm) and NCR-{y}-0155 "
        "were assessed against RMF-VL100 and the file updated. The occurrence estimate for "
        "'adhesive skin injury' in RMF-TX200 was not revisited after 11 Q3 complaints; the "
        "post-market review PMR-TX200-{y}-Q3 notes the rise but records no risk decision.", 3, 3,
        ("CMP-{y}-0298", "NCR-{y}-0155", "PMR-TX200-{y}-Q3"), (RI, AK)),
    "MO-14-Q04": Answer(C, "Risk files are controlled records in the eQMS (MasterControl), "
        "approved electronically, retained for device lifetime + 2 years per SOP-QA-005. "
        "Competence of the RM team recorded in TRN matrix TM-RM-02.", None, None,
        ("SOP-QA-005 rev 9", "TM-RM-02"), (RI,)),
    "DD-04-Q01": Answer(C, "DIR-TX200-02 rev C (TX-200 rev B redesign) sampled: 10 of 64 inputs "
        "checked; all complete, testable and traceable. Inputs cite IEC 60601-1, IEC 60601-1-2, "
        "ISO 80601-2-56 and the risk controls from RMF-TX200.", 64, 10,
        ("DIR-TX200-02 rev C",), (RI,)),
    "DD-04-Q02": Answer(C, "Five risk controls traced RC-014, RC-022, RC-031 (use error), "
        "RC-040 (software watchdog), RC-052 (battery) to inputs and outputs in the trace "
        "matrix TM-TX200 rev 9. No breaks.", 38, 5,
        ("RC-014", "RC-022", "RC-031", "RC-040", "RC-052", "TM-TX200 rev 9"), (RI,)),
    "DD-05-Q01": Answer(C, "Ten inputs followed to outputs in TM-TX200 rev 9; each output is a "
        "specification with a verification reference.", 64, 10, ("TM-TX200 rev 9",), (RI,)),
    "DD-06-Q01": Answer(C, "Design reviews DR-TX200-05, -06 and -07 held at the planned gates; "
        "attendance includes clinical, manufacturing and an independent reviewer; design "
        "revision and actions recorded.", 7, 3, ("DR-TX200-05", "DR-TX200-06", "DR-TX200-07"),
        (RI,)),
    "DD-07-Q01": Answer(C, "DVR-TX200-011 (thermal accuracy), -014 (skin contact temperature, "
        "highest-severity hazard) and -019 (EMC) reviewed. Protocols approved before "
        "execution, sample sizes justified by SOP-DD-007 table 2, results stated per "
        "criterion.", 23, 3, ("DVR-TX200-011", "DVR-TX200-014", "DVR-TX200-019"), (RI,)),
    "DD-07-Q02": Answer(C, "Bluetooth link to the ThermaSense app verified in DVR-TX200-021 "
        "with the app release 2.8 on three reference phones.", None, None,
        ("DVR-TX200-021",), (LO,)),
    "DD-08-Q01": Answer(C, "SVR-TX200-FW-3.4.0 holds SRS, architecture, unit/integration/system "
        "verification, 17 known anomalies each risk-assessed (none above 'minor'), and "
        "simulated-use testing. Documentation level 'Enhanced' per FDA software guidance.",
        None, None, ("SVR-TX200-FW-3.4.0", "SRS-TX200 rev 11"), (LO,)),
    "DD-08-Q02": Answer(MA, "Validation report SVR-TX200-FW-3.4.0 covers firmware 3.4.0. Device "
        "history records for lots TX-{y}-0931 and TX-{y}-0944 show firmware 3.4.1 loaded. "
        "CR-{y}-0251 (3.4.1, BLE reconnect fix) has no regression test selection or rationale; "
        "release note only (TX-{y}-0902 shipped with 3.4.0, as validated). Raised F-009.", 3, 3,
        ("SVR-TX200-FW-3.4.0", "TX-{y}-0931", "TX-{y}-0944", "TX-{y}-0902", "CR-{y}-0251"),
        (LO, MN)),
    "DD-08-Q03": Answer(C, "SBOM-TX200 rev 5 lists 23 OTS/open-source components; each "
        "evaluated in the cybersecurity risk assessment CRA-TX200 rev 3; controls verified in "
        "penetration test report PT-{py}-07.", 23, 23, ("SBOM-TX200 rev 5", "CRA-TX200 rev 3"),
        (LO,)),
    "DD-09-Q01": Answer(C, "Validation units for TX-200 rev B built on the production line "
        "(pilot lot TX-{py}-P03) to released DMR revisions; build records checked.", None, None,
        ("DVAL-TX200-03", "TX-{py}-P03"), (RI,)),
    "DD-09-Q02": Answer(NS, "Clinical evaluation owner on leave until Thursday; scheduled for "
        "day 4. CER-TX200 rev 2 requested."),
    "DD-10-Q01": Answer(C, "Transfer record DTR-TX200-B signed off by manufacturing, quality "
        "and design before release of the production specifications.", None, None,
        ("DTR-TX200-B",), (RI, MN)),
    "DD-10-Q03": Answer(MI, "Four of five documents at the TX-200 line trace to the approved "
        "output at the same revision. The final test limit card at station FT-2 is rev C while "
        "the released specification is rev D (tolerance widened for the new probe). No "
        "product impact (rev D is wider) but the floor copy is uncontrolled. See F-004.", 5, 5,
        ("WI-TX-031 rev E", "DWG-TX-1120 rev B", "TLC-FT2 rev C", "LBL-TX200-01 rev F",
         "IP-TX-07 rev A"), (MN, ND)),
    "PS-03-Q01": Answer(MI, "Work orders WO-{y}-55871 and WO-{y}-55903 (VitaLine). Parameters "
        "recorded as required and equipment IDs match. At packaging station 3 an obsolete copy "
        "of WI-PKG-014 (rev G) was in the binder beside the current rev H. Raised F-004; "
        "removed the same day.", 2, 2, ("WO-{y}-55871", "WO-{y}-55903", "WI-PKG-014 rev G/H"),
        (MN,)),
    "PS-03-Q02": Answer(C, "Batch records VL-{y}-1184, VL-{y}-1192 and VL-{y}-1207: components "
        "traceable, quantity made / approved for distribution recorded, UDI (GS1 DI "
        "05391234560017 + lot) captured, approved by QA release.", 41, 3,
        ("VL-{y}-1184", "VL-{y}-1192", "VL-{y}-1207"), (MN,)),
    "PS-03-Q03": Answer(MA, "Label inspection records for lots VL-{y}-1184, -1192, -1207 use "
        "form F-PKG-022 rev B with one 'labels OK' signature. The five 820.45(a) checks (UDI, "
        "expiry, storage, handling, further processing) are not recorded separately; the "
        "operator said expiry is checked 'by eye'. Raised F-002.", 41, 3,
        ("VL-{y}-1184", "VL-{y}-1192", "VL-{y}-1207", "F-PKG-022 rev B"), (MN,)),
    "PS-03-Q04": Answer(C, "Label revisions LBL-VL100-03 rev D and LBL-TX200-01 rev F released "
        "through labeling release LR-2291 and LR-2317, approved by RA and QA against the "
        "artwork in the MDF. Print run PR-{y}-0412 reconciled (issued 2,400; used 2,352; "
        "destroyed 48 with witness).", 2, 2, ("LR-2291", "LR-2317", "PR-{y}-0412"), (MN, ND)),
    "PS-03-Q05": Answer(C, "Line clearance LC-{y}-0733 and LC-{y}-0741 complete with second-"
        "person check. Only one sterile set family packed per room at a time.", 2, 2,
        ("LC-{y}-0733", "LC-{y}-0741"), (MN,)),
    "PS-05-Q01": Answer(NA, "The site does not install devices: TX-200 base stations are "
        "plug-in units set up by the hospital biomedical department per the IFU. The quality "
        "manual (QM rev 14 §1.3) states installation is not performed."),
    "PS-05-Q02": Answer(MI, "Five service records sampled (SR-{y}-0144, -0152, -0167 depot; "
        "SR-{y}-0171, -0178 field). All show device, date, engineer, work and test data. Two "
        "field records (SR-{y}-0171, SR-{y}-0178) give serial number only, without the UDI, "
        "as 820.35(b) now requires. Service form F-SVC-003 rev C still has no UDI field: "
        "F-003 of the transition gap assessment remains open.", 186, 5,
        ("SR-{y}-0144", "SR-{y}-0152", "SR-{y}-0167", "SR-{y}-0171", "SR-{y}-0178"), (CW,)),
    "PS-05-Q03": Answer(C, "Ten service reports with replaced parts screened; each has the "
        "complaint-decision box completed. Three were complaints and appear in the log "
        "(CMP-{y}-0377, -0390, -0402).", 42, 10, ("CMP-{y}-0377", "CMP-{y}-0390",
        "CMP-{y}-0402"), (CW, AK)),
    "PS-06-Q01": Answer(C, "VMP-GAL rev 5 lists 14 validated processes. Pouch sealing "
        "(PV-SEAL-02) and solvent bonding (PV-BOND-04) reviewed: OQ/PQ with predefined "
        "criteria, operator qualification, PFMEA linked.", 14, 2, ("PV-SEAL-02", "PV-BOND-04",
        "VMP-GAL rev 5"), (TB, MN)),
    "PS-06-Q04": Answer(C, "Bond-strength monitoring for the last 20 VitaLine lots within "
        "limits; one excursion (DEV-{y}-0091) investigated and closed.", 20, 20,
        ("DEV-{y}-0091",), (MN,)),
    "PS-07-Q01": Answer(C, "EO loads EO-{y}-118, EO-{y}-121, EO-{y}-127 (Steri-Tech Athenry): "
        "cycle parameters within the validated range, BIs negative after 7 days, EO residuals "
        "per ISO 10993-7, release signed by T. Brennan. Load report attached.", 26, 3,
        ("EO-{y}-118", "EO-{y}-121", "EO-{y}-127"), (TB,)),
    "PS-07-Q02": Answer(MI, "EO validation VAL-EO-VL-01 (ISO 11135) and annual requalification "
        "RQ-EO-{y} within limits. New tubing supplier (CR-{y}-0142) added to the load without "
        "a documented product adoption assessment; TB says the tubing is equivalent but the "
        "rationale is not written down. TB to provide it on day 4 before we decide on a "
        "finding.", None, None, ("VAL-EO-VL-01", "RQ-EO-{y}",
        "CR-{y}-0142"), (TB,)),
    "PS-07-Q03": Answer(C, "Sterile barrier validation PKG-VAL-07 (ISO 11607-1/-2) incl. "
        "transit and 3-year accelerated ageing. Routine peel tests for 10 lots pass; no seal "
        "failures.", 10, 10, ("PKG-VAL-07",), (TB,)),
    "PS-07-Q04": Answer(C, "Quality agreement QA-STT-01 rev B with Steri-Tech; last audit "
        "SA-{y}-06 (no majors). Deviation notices for the last twelve months: two, both "
        "assessed.", None, None, ("QA-STT-01 rev B", "SA-{y}-06"), (GF, TB)),
    "PS-08-Q01": Answer(C, "UDI procedure SOP-RA-019 (GS1). TX-200 rev B got a new DI after "
        "the form change; GUDID record matches label and MDF.", 2, 2, ("SOP-RA-019 rev 3",),
        ("Priya Raman, Regulatory Affairs",)),
    "PS-08-Q04": Answer(NA, "No implants and no life-supporting or life-sustaining devices "
        "(site profile, QM rev 14 §1.3); 7.5.9.2 / 820.10(d) do not apply."),
    "PS-08-Q05": Answer(C, "Lots VL-{y}-1184, -1192, -1207: UDI matches label print log and "
        "distribution records in the ERP.", 41, 3, ("VL-{y}-1184", "VL-{y}-1192",
        "VL-{y}-1207"), (MN,)),
    "CC-03-Q01": Answer(C, "CR-{y}-0142 (tubing supplier, supplier-initiated), CR-{y}-0187 and "
        "CR-{y}-0203: risk impact, revalidation decision and regulatory impact each signed "
        "before implementation.", 61, 3, ("CR-{y}-0142", "CR-{y}-0187", "CR-{y}-0203"), (ND,)),
    "CC-03-Q02": Answer(MI, "Five changes to 510(k) devices sampled. Four have signed "
        "letter-to-file assessments using the FDA deciding-when-to-submit guidance. "
        "CR-{y}-0251 (firmware 3.4.1) has no regulatory assessment at all; covered by "
        "F-009.", 61, 5,
        ("CR-{y}-0142", "CR-{y}-0187", "CR-{y}-0203", "CR-{y}-0229", "CR-{y}-0251"),
        ("Priya Raman, Regulatory Affairs",)),
    "MA-02-Q01": Answer(C, "SOP-PMS-002 lists complaints, service, returns, literature, MAUDE "
        "and registries. Q3 feedback review PMR-{y}-Q3 shows data from complaints, service and "
        "a MAUDE search.", None, None, ("SOP-PMS-002 rev 5", "PMR-{y}-Q3"), (AK,)),
    "MA-03-Q01": Answer(MA, "Six closed complaints sampled. CMP-{y}-0412, -0437 and -0455 have "
        "no UDI or lot recorded ('customer did not know'); CMP-{y}-0437 also lacks a phone "
        "number. No record of a follow-up request for the missing data. 3 of 6 fail "
        "820.35(a). Extract of the log attached. Raised F-003.", 212, 6,
        ("CMP-{y}-0298", "CMP-{y}-0377", "CMP-{y}-0412", "CMP-{y}-0437", "CMP-{y}-0455",
         "CMP-{y}-0461"), (AK,)),
    "MA-03-Q02": Answer(C, "Three complaints closed without investigation (CMP-{y}-0318, -0344, "
        "-0391) each reference the earlier investigation INV-{y}-021 with a written reason.",
        47, 3, ("CMP-{y}-0318", "CMP-{y}-0344", "CMP-{y}-0391", "INV-{y}-021"), (AK,)),
    "MA-03-Q03": Answer(MA, "Ten complaints checked for a recorded MDR decision. CMP-{y}-0412 "
        "(patient skin burn under TX-200 patch) and CMP-{y}-0437 (blistering) were closed with "
        "the MDR decision field blank; no evaluation against Part 803 criteria. Raised F-001 "
        "(escalated to critical).", 212, 10, ("CMP-{y}-0412", "CMP-{y}-0437"), (AK, EM)),
    "MA-03-Q04": Answer(C, "SOP-CH-001 rev 12 defines intake, timelines, CAPA and 806 links. "
        "CMP-{py}-0873 → FA-{py}-02 traced end to end.", None, None, ("SOP-CH-001 rev 12",
        "FA-{py}-02"), (AK,)),
    "MA-03-Q05": Answer(C, "Q3 service log, returns log and distributor reports compared with "
        "the complaint log: all 9 complaint-type events logged; median 2 days to log, max 6.",
        9, 9, (), (AK, CW)),
    "MA-04-Q01": Answer(C, "Audit programme IAP-{y} risk-based; includes complaint/service "
        "records, labeling controls, MDR, 806 and UDI.", None, None, ("IAP-{y}", "IAP-{py}"),
        (ZL,)),
    "MA-04-Q02": Answer(MI, "IA-{y}-03, -05 and -07 reviewed. Reports are clear, but IA-{y}-05 "
        "(production) and IA-{y}-07 (labeling) still use checklists organised by old 820.70 "
        "and 820.120 paragraphs; ISO 13485 clauses and 820.45 are not on them.", 9, 3,
        ("IA-{y}-03", "IA-{y}-05", "IA-{y}-07"), (ZL,)),
    "MA-04-Q03": Answer(C, "Auditor independence confirmed for IA-{y}-03 and -05; 6 findings "
        "closed with verification.", 6, 6, ("IA-{y}-03", "IA-{y}-05"), (ZL,)),
    "MA-07-Q01": Answer(C, "NCR-{y}-0121, -0133, -0148, -0155, -0162 across receiving, line and "
        "final inspection: segregated, evaluated, disposition signed, CAPA considered.", 74, 5,
        ("NCR-{y}-0121", "NCR-{y}-0133", "NCR-{y}-0148", "NCR-{y}-0155", "NCR-{y}-0162"),
        (MN,)),
    "MA-07-Q02": Answer(C, "Two concessions in the year (CON-{y}-004, -007); both justified, "
        "approved by QA and time-limited.", 2, 2, ("CON-{y}-004", "CON-{y}-007"), (ZL,)),
    "MA-07-Q03": Answer(NA, "No nonconforming product found after delivery in the last two "
        "years other than FA-{py}-02, already covered under OA-02."),
    "MA-08-Q02": Answer(MI, "Recount of Q3 'adhesive irritation' complaints from the log gives "
        "11; the trend report TR-{y}-Q3 shows 8 because three were coded 'other'. Data not "
        "split by lot or UDI-DI, so lot TX-{y}-0931 clustering was not visible. See F-008.",
        212, 212, ("TR-{y}-Q3",), (AK,)),
    "MA-09-Q01": Answer(C, "CAPA-0362, -0371, -0375, -0381 (complaint-driven) and -0384 "
        "(supplier) reviewed: root cause documented, actions proportionate.", 31, 5,
        ("CAPA-0362", "CAPA-0371", "CAPA-0375", "CAPA-0381", "CAPA-0384"), (ZL,)),
    "MA-09-Q02": Answer(C, "Pre-implementation safety check and effectiveness criteria set in "
        "advance for all five; CAPA-0381 effectiveness verified over 3 months of data.", 5, 5,
        ("CAPA-0381",), (ZL,)),
    "MA-09-Q04": Answer(C, "CAPA-0371 and CAPA-0381 updated RMF-TX200 and were reported to "
        "MR-{y}-01.", 2, 2, ("CAPA-0371", "CAPA-0381"), (ZL,)),
    "MA-10-Q01": Answer(C, "Preventive action is a separate workflow (SOP-QA-017). PA-{py}-04, "
        "PA-{y}-01 and PA-{y}-03 sampled; data-driven and evaluated.", 6, 3,
        ("PA-{py}-04", "PA-{y}-01", "PA-{y}-03"), (ZL,)),
    "OP-01-Q01": Answer(MI, "Three highest-risk outsourced processes: EO sterilization "
        "(Steri-Tech), PCBA (Kestrel Electronics), app development (Cobalt Digital). Quality "
        "agreements present; Kestrel agreement QA-KES-01 rev A has no turnaround time for "
        "records requested during an FDA inspection. See F-006.", 7, 3,
        ("QA-STT-01 rev B", "QA-KES-01 rev A", "QA-COB-02 rev A"), (GF,)),
    "OP-01-Q02": Answer(C, "Kestrel controls: incoming CoC review, AOI data monthly, audit "
        "SA-{py}-11; level set by supplier risk class A.", None, None, ("SA-{py}-11",), (GF,)),
    "OP-01-Q03": Answer(NA, "No outsourced process moved to or between providers in the last "
        "two years (supplier list SL-GAL rev 31)."),
    "OA-01-Q01": Answer(C, "Five complaints with possible serious injury/malfunction: "
        "CMP-{y}-0298 (reported), -0377, -0390, -0402, -0461 (not reportable, each with a "
        "clinical rationale from the medical advisor).", 19, 5, ("CMP-{y}-0298",
        "CMP-{y}-0377", "CMP-{y}-0390", "CMP-{y}-0402", "CMP-{y}-0461"), (EM,)),
    "OA-01-Q02": Answer(C, "Four MDRs filed this year (MW-{y}-001 to -004); all within 30 "
        "calendar days of awareness; one supplemental sent.", 4, 4, ("MW-{y}-001",
        "MW-{y}-002", "MW-{y}-003", "MW-{y}-004"), (EM,)),
    "OA-02-Q01": Answer(C, "One removal in two years (FA-{py}-02, VitaLine lot VL-{py}-0877, "
        "reported under 806 within 6 working days). Two corrections judged not reportable "
        "with recorded rationale.", 3, 3, ("FA-{py}-02", "COR-{y}-01", "COR-{y}-02"), (EM,)),
    "OA-04-Q01": Answer(C, "SOP-RA-019 rev 3 names GS1 as issuing agency and the DI change "
        "triggers; production identifiers lot + expiry (VitaLine), serial + manufacture date "
        "(TX-200).", None, None, ("SOP-RA-019 rev 3",), ("Priya Raman, Regulatory Affairs",)),
    "OA-04-Q02": Answer(MI, "Five DIs compared with GUDID. The TX-200 rev B DI "
        "(05391234560208) was published in GUDID 47 days after the first shipment of the "
        "relabelled device; the record should be in place when labelled devices enter "
        "distribution. Other four match label and MDF.", 9, 5, (),
        ("Priya Raman, Regulatory Affairs",)),
    "OA-04-Q04": Answer(NS, "Label walk-down for both families planned with packaging on "
        "Thursday; not yet done."),
    "GI-01-Q01": Answer(C, "Registration renewed 14 Oct for the current year; establishment "
        "types manufacturer and specification developer; US agent Northbridge Medical Inc. "
        "(Boston) confirmed.", None, None, (), ("Priya Raman, Regulatory Affairs",)),
    "GI-02-Q01": Answer(C, "Last FDA inspection ({py}, Form 483 with 2 observations, classified "
        "VAI): CAPA-0288 and CAPA-0291 closed, effectiveness checked six months later.", 2, 2,
        ("CAPA-0288", "CAPA-0291"), (ZL,)),
    "GI-02-Q02": Answer(NS, "Repeat-risk check for the two prior 483 topics (DHR review, "
        "training effectiveness) planned across Athlone records too; pending."),
}

# Questions deliberately left without any response (work still to do in the mock).
UNANSWERED = frozenset({
    "DD-09-Q03", "DD-10-Q02", "MA-10-Q02", "MA-10-Q03", "OA-02-Q03", "GI-02-Q03",
    "PS-05-Q04", "MA-08-Q03",
})
