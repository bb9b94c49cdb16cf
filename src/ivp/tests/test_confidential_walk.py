"""Confidentiality everywhere: every URL of ivp, as every kind of user.

A demo-like plan gets a canary text in every confidential field: a confidential priority
(title, texts), a confidential cluster, a confidential chapter, an indicator and an item
with a measure under the confidential priority, a confidential comment, and a frozen
version holding all of them. Then every URL pattern of the URLconf is resolved, its ids
filled from the plan (pointing at the confidential rows and at public ones), and fetched
by each role. A canary may appear only for the roles that see confidential parts
(coordinator, redacteur, superuser), and for them never in a public download.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from ivp.beleidsplan import services as bp
from ivp.plans import collaboration
from ivp.plans import services as plan_services
from ivp.plans.factories import GemeenteFactory, PlanFactory, UserFactory, give_role
from ivp.uitvoering import services as up_services

pytestmark = pytest.mark.django_db

CANARY = {
    "prio_titel": "KNRPRIOTITEL",
    "prio_waarom": "KNRPRIOWAAROM",
    "prio_aanpak": "KNRPRIOAANPAK",
    "prio_doel": "KNRPRIODOEL",
    "cluster_titel": "KNRCLUSTERTITEL",
    "cluster_waarom": "KNRCLUSTERWAAROM",
    "hoofdstuk": "KNRHOOFDSTUK",
    "indicator": "KNRINDICATOR",
    "onderdeel": "KNRONDERDEEL",
    "maatregel": "KNRMAATREGEL",
    "maatregel_tekst": "KNRMAATREGELTEKST",
    "maatregel_trekker": "KNRTREKKER",
    "reactie": "KNRREACTIE",
    "reactie_tekst": "KNRREACTIETEKST",
    "eigen_hoofdstuk": "KNREIGENHOOFDSTUK",
    "eigen_hoofdstuk_tekst": "KNREIGENTEKST",
    "paragraaf": "KNRPARAGRAAF",
    "paragraaf_tekst": "KNRPARAGRAAFTEKST",
    "bijlage": "KNRBIJLAGE",
    "reactie_bij": "KNRREACTIEBIJ",
    "voorstel": "KNRVOORSTEL",
    "voorstel_toelichting": "KNRVOORSTELTOELICHTING",
    "voortgang": "KNRVOORTGANG",
    "realisatie_bron": "KNRREALISATIEBRON",
    "besluit": "KNRBESLUIT",
    # a joint plan (issue 17): a confidential priority's ambition, effect and actions, and
    # a confidential local priority of the second gemeente
    "prio_ambitie": "KNRPRIOAMBITIE",
    "prio_effect": "KNRPRIOEFFECT",
    "prio_actie": "KNRPRIOACTIE",
    "lokaal_titel": "KNRLOKAALTITEL",
    "lokaal_indicator": "KNRLOKAALINDICATOR",
}
SEES = {"redacteur", "coordinator", "superuser"}
# A gemeente's own figures (ADR 0011, 0020) are not confidential within the plan, but never
# reach anyone outside it: not anonymous users, not another gemeente's users.
OWN_CANARY = "KNREIGENREEKS rapportcijfer veiligheid in de buurt"
OWN_HIDDEN_FROM = {"anonymous", "other-gemeente"}
ROLES = (
    "anonymous",
    "other-gemeente",
    "politie",
    "lezer",
    "bijdrager",
    "redacteur",
    "coordinator",
    "superuser",
)


@pytest.fixture
def world(db):
    plan = PlanFactory(in_analysis=True, titel="IVP 's-Hertogenbosch 2027–2030")
    coordinator = plan.rollen.get(rol="coordinator").user
    gemeente = plan.gemeenten.first()
    c = coordinator
    public = bp.add_prioriteit(plan, by=c, titel="Jeugdoverlast", themas=["3.1"])
    secret = bp.add_prioriteit(plan, by=c, titel=CANARY["prio_titel"], themas=["5.2"])
    bp.update_part(
        secret,
        by=c,
        expected_version=secret.version,
        vertrouwelijk=True,
        waarom=CANARY["prio_waarom"],
        hoofdlijnen=CANARY["prio_aanpak"],
        doel=CANARY["prio_doel"],
        ambitie=CANARY["prio_ambitie"],
        beoogd_effect=CANARY["prio_effect"],
        acties=[{"tekst": CANARY["prio_actie"], "termijn": "kort"}],
    )
    # a joint plan: a second gemeente with a confidential local priority; shared with the
    # police, whose page (and its exports) may never show a confidential part
    from ivp.areas.models import Gemeente, PolitieEenheid, Veiligheidsregio

    eenheid, _ = PolitieEenheid.objects.get_or_create(code="RE05", defaults={"naam": "Oost"})
    region, _ = Veiligheidsregio.objects.get_or_create(
        code="VR19", defaults={"naam": "Brabant-Noord", "politie_eenheid": eenheid}
    )
    tweede = GemeenteFactory(code="GM0797", naam="Heusden")
    plan.gemeenten.add(tweede)
    from ivp.accounts.factories import member_of

    member_of(c, [tweede], rol="coordinator")  # edits the local part of the second gemeente
    Gemeente.objects.filter(pk__in=[gemeente.pk, tweede.pk]).update(veiligheidsregio=region)
    lokaal = bp.add_prioriteit(
        plan, by=c, titel=CANARY["lokaal_titel"], themas=["2.3"], gemeente=tweede
    )
    bp.update_part(lokaal, by=c, expected_version=lokaal.version, vertrouwelijk=True)
    bp.add_indicator(
        plan,
        by=c,
        naam=CANARY["lokaal_indicator"],
        bron="politie",
        eenheid="aantal",
        prioriteit=lokaal,
        uitgangswaarde=3,
        uitgangsjaar=2024,
    )
    bp.add_prioriteit(plan, by=c, titel="Veilig winkelgebied", themas=["2.1"], gemeente=tweede)
    plan_services.set_delen_met_politie(plan, by=c, delen=True)
    cluster = bp.add_overig_thema(plan, by=c, titel=CANARY["cluster_titel"], themas=["5.1"])
    bp.update_part(
        cluster,
        by=c,
        expected_version=cluster.version,
        vertrouwelijk=True,
        waarom=CANARY["cluster_waarom"],
    )
    bp.add_overig_thema(plan, by=c, titel="Veilig uitgaan", themas=["1.1"])
    bp.save_hoofdstuk(
        plan, by=c, nummer=6, expected_version=0, tekst=CANARY["hoofdstuk"], vertrouwelijk=True
    )
    first = bp.save_hoofdstuk(plan, by=c, nummer=1, expected_version=0, tekst="Openbare tekst.")
    own = bp.add_hoofdstuk(plan, by=c, titel=CANARY["eigen_hoofdstuk"], vooraan=True)
    bp.update_part(
        own,
        by=c,
        expected_version=own.version,
        vertrouwelijk=True,
        tekst=CANARY["eigen_hoofdstuk_tekst"],
    )
    annex = bp.add_hoofdstuk(plan, by=c, titel=CANARY["bijlage"], soort="bijlage")
    bp.update_part(annex, by=c, expected_version=annex.version, vertrouwelijk=True)
    first.refresh_from_db()
    section = bp.add_paragraaf(plan, by=c, hoofdstuk=first, titel=CANARY["paragraaf"])
    bp.update_part(
        section,
        by=c,
        expected_version=section.version,
        vertrouwelijk=True,
        tekst=CANARY["paragraaf_tekst"],
    )
    bp.add_paragraaf(plan, by=c, hoofdstuk=first, titel="Openbare paragraaf")
    indicator = bp.add_indicator(
        plan,
        by=c,
        naam=CANARY["indicator"],
        bron="politie",
        eenheid="aantal",
        prioriteit=secret,
        uitgangswaarde=10,
        uitgangsjaar=2024,
    )
    public_indicator = bp.add_indicator(
        plan,
        by=c,
        naam="Meldingen jeugdoverlast",
        bron="politie",
        eenheid="aantal",
        prioriteit=public,
    )
    up = up_services.create_uitvoeringsplan(plan, by=c, jaar=2027)
    secret_item = up_services.add_onderdeel(up, by=c, titel=CANARY["onderdeel"], prioriteit=secret)
    secret_measure = up_services.add_maatregel(
        secret_item,
        by=c,
        titel=CANARY["maatregel"],
        beschrijving=CANARY["maatregel_tekst"],
        ambtelijk_trekker=CANARY["maatregel_trekker"],
    )
    public_item = up_services.add_onderdeel(up, by=c, titel="Preventie", prioriteit=public)
    public_measure = up_services.add_maatregel(public_item, by=c, titel="Jongerenwerk")
    plan_services.add_reactie(
        plan, by=c, onderwerp=CANARY["reactie"], tekst=CANARY["reactie_tekst"], vertrouwelijk=True
    )
    plan_services.add_reactie(plan, by=c, onderwerp="Openbare reactie", tekst="Prima.")
    # a comment and a text proposal about the confidential priority, not marked confidential
    # themselves: confidential because of what they are about
    collaboration.comment(
        plan, by=c, tekst=CANARY["reactie_bij"], sleutel=f"prioriteit:{secret.pk}"
    )
    collaboration.propose(
        plan,
        by=c,
        sleutel=f"prioriteit:{secret.pk}",
        veld="waarom",
        tekst=CANARY["voorstel"],
        toelichting=CANARY["voorstel_toelichting"],
    )
    collaboration.comment(
        plan, by=c, tekst="Openbaar commentaar.", sleutel=f"prioriteit:{public.pk}"
    )
    plan_services.add_werkgroeplid(plan, by=c, naam="A. Agent", organisatie="Politie")
    # step 6: a delayed confidential measure (a knelpunt), a hand realisation of the
    # confidential indicator, a decision on the agenda point, a sent report
    from ivp.sturing import services as st

    st.record_update(
        secret_measure,
        by=c,
        expected_version=secret_measure.version,
        status="vertraagd",
        tekst=CANARY["voortgang"],
    )
    st.add_realisation(indicator, by=c, jaar=2025, waarde=12, bron=CANARY["realisatie_bron"])
    st.prepare_agenda(plan, "2027-Q1", by=c)
    point = plan.overlegpunten.get(maatregel=secret_measure)
    st.decide(point, by=c, expected_version=point.version, besluit=CANARY["besluit"])
    sent = st.report(plan, "voortgangsrapportage", "2027-Q1")
    st.send_report(sent, by=c, expected_version=sent.version)
    bp.freeze(plan, by=c)

    from ivp.datasets import services as data_services

    own_run = data_services.import_file(
        (
            "regio;periode;indicator;waarde;eenheid;bron;marge\n"
            f"{gemeente.code};2017;{OWN_CANARY};7,1;rapportcijfer;Veiligheidsmonitor;0,1\n"
            f"{gemeente.code};2019;{OWN_CANARY};7,4;rapportcijfer;Veiligheidsmonitor;0,1\n"
        ).encode(),
        "eigen.csv",
        user=coordinator,
        owner=gemeente,
    )
    assert own_run.status == "opgeslagen", own_run.problems
    own_key = own_run.datasets.get().key
    users = {"anonymous": None, "coordinator": coordinator}
    for rol in ("lezer", "bijdrager", "redacteur"):
        users[rol] = give_role(plan, UserFactory(username=rol, organisaties=[gemeente]), rol)
    other = GemeenteFactory(code="GM0363", naam="Amsterdam")
    users["other-gemeente"] = UserFactory(username="amsterdam", organisaties=[other])
    users["superuser"] = UserFactory(username="root", is_superuser=True, is_staff=True)
    st.assign(public_measure, by=c, user=users["bijdrager"])
    from ivp.accounts.models import Lidmaatschap, Organisatie

    politie = Organisatie.objects.create(naam="Politie", soort=Organisatie.Soort.POLITIE)
    users["politie"] = UserFactory(username="analist")
    Lidmaatschap.objects.create(user=users["politie"], organisatie=politie, rol="medewerker")
    ids = {
        "pk": [plan.pk],
        "plan_pk": [plan.pk],
        "nummer": [6, 2],
        "part": [
            secret.pk,
            cluster.pk,
            indicator.pk,
            public.pk,
            public_indicator.pk,
            own.pk,
            annex.pk,
            section.pk,
        ],
        "soort": ["prioriteit", "cluster", "indicator", "voortgangsrapportage", "jaarbeeld"],
        "indicator": [indicator.pk, public_indicator.pk],
        "periode": ["2027-Q1", "2027"],
        "onderdeel": [f"p{secret.pk}", f"o{cluster.pk}", "plan"],
        "jaar": [2027],
        "item": [secret_item.pk, public_item.pk],
        "measure": [secret_measure.pk, public_measure.pk],
        "document": [
            "startnotitie",
            "veiligheidsanalyse",
            "prioritering",
            "prioritering-slides",
            "ivp",
            "uitvoeringsplan",
            "voortgangsrapportage",
            "jaarbeeld",
        ],
        "fmt": ["docx", "html", "pptx", "pdf"],
        "code": [
            "1",
            "3.1",
            "A1.1",
            "GM0796",
            "3.1-m01",
            "3.1-i01",
            "zorg-en-veiligheid",
            "RE05",
        ],
        "onderwerp": ["3.1"],
        "key": ["47018NED", own_key, "veiligheidsmonitor"],
        "format": ["json"],
    }
    return {"users": users, "ids": ids}


def _patterns(patterns=None, namespace: str = ""):
    """(name, parameter names) of every named URL pattern, namespaced."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            name = f"{namespace}:{p.name}" if namespace else p.name
            params = sorted(set(p.pattern.regex.groupindex) | set(p.pattern.converters))
            yield name, tuple(params)


def _urls(ids: dict) -> list[tuple[str, bool]]:
    """(url, public): every URL with its ids filled; ``public``: a download without the
    internal copy (no canary for anyone)."""
    urls: set[tuple[str, bool]] = set()
    for name, params in set(_patterns()):
        if name.startswith("admin:"):
            continue
        for values in itertools.product(*(ids.get(p, ["x"]) for p in params)):
            try:
                url = reverse(name, kwargs=dict(zip(params, values, strict=True)))
            except NoReverseMatch:
                continue
            if name == "documents:download":
                kwargs = dict(zip(params, values, strict=True))
                if kwargs["document"] == "prioritering-slides" and kwargs["fmt"] != "pdf":
                    continue
                for query in (
                    "",
                    "?jaar=2027",
                    "?versie=1",
                    "?periode=2027-Q1",
                    "?gemeente=GM0797",
                ):
                    urls.add((url + query, True))
                urls.add((url + "?gemeente=GM0797&intern=1", False))
                urls.add((url + "?intern=1", False))
            elif name == "uitvoering:xlsx":
                urls.add((url, True))
                urls.add((url + "?intern=1", False))
            elif name.startswith("politie:"):
                urls.add((url, True))  # the police unit's view: confidential for no one
            elif name == "veiligheidsanalyse:overview":
                urls.add((url, False))
                urls.add((url + "?gemeente=gebied", False))
            else:
                urls.add((url, False))
    return sorted(urls)


def _text(response) -> str:
    """The text of a response: HTML/JSON as is; DOCX/XLSX/PPTX as the text of their XML;
    PDF through its text layer."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = " ".join(
                archive.read(n).decode("utf-8", "replace")
                for n in archive.namelist()
                if n.endswith(".xml")
            )
        return xml + " " + re.sub(r"<[^>]+>", "", xml)
    if content[:5] == b"%PDF-":
        from pypdf import PdfReader

        return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", "replace")


def test_no_canary_reaches_who_may_not_see_it(world, client):
    urls = _urls(world["ids"])
    assert len(urls) > 150
    leaks: list[str] = []
    seen_by_editors: set[str] = set()
    fetched = 0
    client.raise_request_exception = False  # a 500 is reported with the leaks
    for role in ROLES:
        user = world["users"][role]
        client.logout()
        if user is not None:
            client.force_login(user)
        for url, public_download in urls:
            is_pdf = url.endswith(".pdf") or ".pdf?" in url
            # PDF is the HTML laid out (same content); render it for one role that may not
            # see and one that may, to keep the walk quick.
            if is_pdf and role not in ("lezer", "coordinator"):
                continue
            response = client.get(url)
            fetched += 1
            if response.status_code >= 500:
                leaks.append(f"{role} {url}: {response.status_code}")
                continue
            text = _text(response)
            found = [name for name, canary in CANARY.items() if canary in text]
            if found and (role not in SEES or public_download):
                leaks.append(f"{role} {url} ({response.status_code}): {', '.join(found)}")
            if role == "coordinator" and not public_download:
                seen_by_editors.update(found)
            if OWN_CANARY in text:
                if role in OWN_HIDDEN_FROM:
                    leaks.append(f"{role} {url} ({response.status_code}): own series")
                elif role == "lezer":
                    seen_by_editors.add("own series (lezer)")
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(leaks[:40])
    # the canaries are real: a coordinator finds every one of them somewhere
    assert seen_by_editors == {*CANARY, "own series (lezer)"}, {
        *CANARY,
        "own series (lezer)",
    } - seen_by_editors
    assert fetched > 1000
