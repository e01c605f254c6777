// The mcbadge verify page. Verification happens on the server (POST /verify/upload,
// GET /verify/issued?id=...); this script only sends the bytes and shows the report.
// Everything a credential contains is written with textContent, never as HTML.
"use strict";

(function () {
  const T = {
    nl: {
      skip: "Naar het formulier",
      brand: "Microcredential controleren",
      title: "Is dit credential echt?",
      lead: "Controleer een digitaal credential (Open Badges 3.0) dat iemand u laat zien. " +
        "Het wordt gecontroleerd door deze dienst: de handtekening, de uitgever, de geldigheid " +
        "en of het is ingetrokken.",
      input_heading: "Credential toevoegen",
      drop_choose: "Kies een bestand of sleep het hierheen",
      drop_hint: "JSON, JWT, SD-JWT, of een certificaat als PNG of SVG met het credential erin",
      paste_label: "Of plak de tekst van het credential (JSON, JWT of SD-JWT)",
      verify_button: "Controleren",
      busy: "Bezig met controleren…",
      verified_title: "Geverifieerd",
      verified_detail: "Dit credential is echt en geldig: geen enkele controle is mislukt.",
      no_checks: "Geen controles: de invoer is niet als credential te lezen.",
      failed_title: "Niet geverifieerd",
      failed_detail: "Vertrouw dit credential niet. Mislukt: ",
      error_title: "Niet geverifieerd: dit is geen leesbaar credential",
      picture_notice: "Alleen de gegevens hieronder zijn gecontroleerd. Een afbeelding, print " +
        "of pdf van een certificaat is níet gecontroleerd: vergelijk wat u daarop ziet met deze gegevens.",
      says_verified: "Wat het credential zegt",
      says_unverified: "Wat het credential beweert",
      unverified_mark: "niet geverifieerd",
      says_empty: "Dit is geen Open Badges 3.0-credential; er zijn geen gegevens om te tonen.",
      checks_heading: "Controles",
      warnings: "Let op",
      picture_heading: "De afbeelding die u gaf",
      picture_note: "Deze afbeelding is niet gecontroleerd. Wat geldt, is het credential dat erin " +
        "zat (hierboven). Wijkt de afbeelding af, dan is die aangepast.",
      footer: "Gecontroleerd door deze dienst met mcbadge; er wordt niets naar anderen gestuurd.",
      not_found: "Deze dienst heeft dat credential niet uitgegeven.",
      passed: "in orde", failed: "mislukt", skipped: "overgeslagen",
      f_learner: "Lerende", f_institution: "Uitgegeven door", f_issuer_id: "Uitgever-id",
      f_unit: "Eenheid", f_level: "Niveau", f_size: "Studielast", f_result: "Resultaat",
      f_outcomes: "Leeruitkomsten", f_assessment: "Toetsing", f_participation: "Deelname",
      f_supervision: "Toezicht", f_identity: "Identiteit gecontroleerd", f_qa: "Kwaliteitsborging",
      f_valid_from: "Uitgegeven op", f_valid_until: "Geldig tot", f_credential: "Credential-id",
      f_prerequisites: "Toelatingseisen",
      hashed: "alleen als hash: ", no_name: "(geen naam in het credential)",
      part_of: "onderdeel van ", hours: "uur", entry: "instroomniveau", yes: "ja", no: "nee",
      scale: "schaal ", pass_mark: "cesuur ", completed: "Behaald",
      id: { emailAddress: "e-mailadres", sisSourcedId: "studentnummer",
        "ext:eduPersonPrincipalName": "eduPersonPrincipalName", name: "naam" },
      c: {
        "format": "Vorm", "jsonld.strict": "JSON-LD (veilige modus)", "context": "Contexten",
        "type": "Type", "structure": "Structuur (VC-datamodel)", "schema.ob3": "OB3-schema", "subject.identifier": "Lerende",
        "proof": "Handtekening", "signature": "Handtekening", "jwt.signature": "Handtekening (JWT)",
        "sdjwt.signature": "Handtekening (SD-JWT)", "sdjwt.disclosures": "Getoonde gegevens",
        "sdjwt.vct": "Type (vct)", "sdjwt.key_binding": "Van de houder?",
        "proof.issuer_binding": "Sleutel hoort bij de uitgever", "proof.purpose": "Doel van de handtekening",
        "jwt.claims": "JWT-gegevens", "refresh_service": "Vernieuwdienst", "status": "Ingetrokken of geschorst?",
        "valid_from": "Geldig vanaf", "valid_until": "Verloopdatum", "proof.created": "Moment van ondertekenen",
        "proof.expires": "Handtekening verlopen?", "recipient": "Ontvanger", "endorsement": "Aanbevelingen",
        "trusted_issuer": "Vertrouwde uitgever", "legacy": "Oude vorm",
        "proof.challenge": "Challenge", "proof.domain": "Domein", "proof.holder_binding": "Sleutel hoort bij de houder",
        "credential": "Credential in de presentatie"
      },
      v: {
        "testing": "toets", "application of a skill": "toepassing van een vaardigheid",
        "portfolio": "portfolio", "recognition of prior learning": "erkenning van eerder verworven competenties",
        "online": "online", "onsite or blended": "op locatie of gemengd", "volunteering": "vrijwilligerswerk",
        "work experience": "werkervaring", "personalized learning activities": "gepersonaliseerde leeractiviteiten",
        "unsupervised with no identity verification": "zonder toezicht, zonder identiteitscontrole",
        "supervised with no identity verification": "onder toezicht, zonder identiteitscontrole",
        "supervised online": "online toezicht",
        "onsite with identity verification": "op locatie, met identiteitscontrole"
      }
    },
    en: {
      skip: "Skip to the form",
      brand: "Verify a microcredential",
      title: "Is this credential genuine?",
      lead: "Check a digital credential (Open Badges 3.0) that someone shows you. This service " +
        "checks it: the signature, the issuer, its validity and whether it was revoked.",
      input_heading: "Add a credential",
      drop_choose: "Choose a file or drop it here",
      drop_hint: "JSON, JWT, SD-JWT, or a certificate as PNG or SVG with the credential inside",
      paste_label: "Or paste the credential's text (JSON, JWT or SD-JWT)",
      verify_button: "Verify",
      busy: "Verifying…",
      verified_title: "Verified",
      verified_detail: "This credential is genuine and valid: no check failed.",
      no_checks: "No checks: the input cannot be read as a credential.",
      failed_title: "Not verified",
      failed_detail: "Do not rely on this credential. Failed: ",
      error_title: "Not verified: this is not a readable credential",
      picture_notice: "Only the data below was verified. A picture, printout or PDF of a " +
        "certificate is not: compare what it shows with this data.",
      says_verified: "What the credential says",
      says_unverified: "What the credential claims",
      unverified_mark: "not verified",
      says_empty: "This is not an Open Badges 3.0 credential; there are no fields to show.",
      checks_heading: "Checks",
      warnings: "Note",
      picture_heading: "The picture you gave",
      picture_note: "This picture was not verified. What counts is the credential that was inside " +
        "it (above). If the picture differs, it was edited.",
      footer: "Verified by this service with mcbadge; nothing is sent to anyone else.",
      not_found: "This service did not issue that credential.",
      passed: "passed", failed: "failed", skipped: "skipped",
      f_learner: "Learner", f_institution: "Issued by", f_issuer_id: "Issuer id",
      f_unit: "Unit", f_level: "Level", f_size: "Study load", f_result: "Result",
      f_outcomes: "Learning outcomes", f_assessment: "Assessment", f_participation: "Participation",
      f_supervision: "Supervision", f_identity: "Identity checked", f_qa: "Quality assurance",
      f_valid_from: "Issued on", f_valid_until: "Valid until", f_credential: "Credential id",
      f_prerequisites: "Prerequisites",
      hashed: "only as a hash: ", no_name: "(no name in the credential)",
      part_of: "part of ", hours: "hours", entry: "entry level", yes: "yes", no: "no",
      scale: "scale ", pass_mark: "pass mark ", completed: "Completed",
      id: { emailAddress: "email address", sisSourcedId: "student number",
        "ext:eduPersonPrincipalName": "eduPersonPrincipalName", name: "name" },
      c: {
        "format": "Format", "jsonld.strict": "JSON-LD (safe mode)", "context": "Contexts",
        "type": "Type", "structure": "Structure (VC data model)", "schema.ob3": "OB3 schema", "subject.identifier": "Learner",
        "proof": "Signature", "signature": "Signature", "jwt.signature": "Signature (JWT)",
        "sdjwt.signature": "Signature (SD-JWT)", "sdjwt.disclosures": "Disclosed data",
        "sdjwt.vct": "Type (vct)", "sdjwt.key_binding": "From the holder?",
        "proof.issuer_binding": "Key belongs to the issuer", "proof.purpose": "Purpose of the signature",
        "jwt.claims": "JWT claims", "refresh_service": "Refresh service", "status": "Revoked or suspended?",
        "valid_from": "Valid from", "valid_until": "Expiry", "proof.created": "Time of signing",
        "proof.expires": "Signature expired?", "recipient": "Recipient", "endorsement": "Endorsements",
        "trusted_issuer": "Trusted issuer", "legacy": "Old format",
        "proof.challenge": "Challenge", "proof.domain": "Domain", "proof.holder_binding": "Key belongs to the holder",
        "credential": "Credential in the presentation"
      },
      v: {}
    }
  };

  // Dutch reasons by stable code (static/reasons.json): a failed check by its error code, a
  // skipped one by its reason code, a passed one by its check id. A check without a
  // translation shows the library's English message, marked lang="en".
  // Every URL is relative, so the page works where a reverse proxy mounts the service
  // (https://hs.nl/badges/verify?id=...) as well as at the root.
  const here = document.currentScript ? document.currentScript.src : location.href;
  const reasonsReady = fetch(new URL("reasons.json", here).href)
    .then((r) => (r.ok ? r.json() : {}))
    .catch(() => ({}));
  let reasons = {};
  reasonsReady.then((table) => { reasons = table || {}; if (last) show(last); });

  const $ = (id) => document.getElementById(id);
  let lang = "nl";
  let last = null; // {kind: "report"|"error", data, picture}
  let pictureUrl = null;

  function t(key) { return (T[lang] && T[lang][key]) || T.en[key] || key; }
  function vocab(value) { return (T[lang].v && T[lang].v[value]) || value; }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setLang(next, remember) {
    lang = T[next] ? next : "en";
    document.documentElement.lang = lang;
    if (remember) { try { localStorage.setItem("mcbadge-lang", lang); } catch (e) { /* private mode */ } }
    document.querySelectorAll("[data-i18n]").forEach((node) => {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    document.querySelectorAll(".langs button").forEach((b) => {
      b.setAttribute("aria-pressed", b.getAttribute("data-lang") === lang ? "true" : "false");
    });
    document.title = lang === "nl" ? "Credential controleren" : "Verify a credential";
    if (last) show(last);
  }

  function number(text) {
    return lang === "nl" ? String(text).replace(".", ",") : String(text);
  }

  function date(text) {
    if (!text) return "";
    const d = new Date(text);
    if (isNaN(d.getTime())) return text;
    try {
      return d.toLocaleDateString(lang === "nl" ? "nl-NL" : "en-GB",
        { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    } catch (e) { return text; }
  }

  function checkName(id) {
    const names = T[lang].c;
    if (names[id]) return names[id];
    const m = /^proof\[(\d+)\]\.signature$/.exec(id);
    if (m) return names.signature + (m[1] !== "0" ? " " + (Number(m[1]) + 1) : "");
    const e = /^endorsement\[/.exec(id);
    if (e) return names.endorsement;
    if (/^credential\[\d+\]$/.test(id)) return names.credential + " " + (Number(id.slice(11, -1)) + 1);
    return id;
  }

  function reason(c) {
    const table = reasons[lang];
    if (!table) return null;
    if (c.status === "failed") return (table.failed || {})[c.error_code] || null;
    if (c.status === "skipped") {
      const code = c.details && c.details.reason_code;
      return (code && (table.skipped || {})[code]) || null;
    }
    const id = c.id.replace(/^proof\[\d+\]\./, "proof[i].").replace(/^endorsement\[\d+\]$/, "endorsement[i]");
    return (table.passed || {})[id] || null;
  }

  function checkMessage(li, c) {
    const code = c.error_code ? "[" + c.error_code + "] " : "";
    const translated = reason(c);
    if (translated) {
      const msg = el("p", "check-msg", code + translated);
      msg.setAttribute("lang", lang);
      li.appendChild(msg);
      const detail = el("p", "check-detail", c.message);
      detail.setAttribute("lang", "en");
      li.appendChild(detail);
    } else {
      const msg = el("p", "check-msg", code + c.message);
      msg.setAttribute("lang", "en");
      li.appendChild(msg);
    }
  }

  function addField(dl, label, value, opts) {
    if (value === null || value === undefined || value === "" ||
        (Array.isArray(value) && value.length === 0)) return;
    const dt = el("dt", null, label);
    const dd = el("dd", opts && opts.big ? "big" : null);
    if (Array.isArray(value)) {
      const ul = el("ul");
      value.forEach((v) => ul.appendChild(el("li", null, v)));
      dd.appendChild(ul);
    } else {
      dd.textContent = value;
    }
    if (opts && opts.sub) dd.appendChild(el("span", "sub", opts.sub));
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function size(s) {
    const parts = [];
    if (s.ects !== null) parts.push(number(s.ects) + " EC");
    if (s.sbu !== null) parts.push(s.sbu + " SBU");
    let hours = s.hours;
    if (hours === null && s.ects !== null) {
      const h = Number(s.ects) * 28;
      if (Number.isInteger(h)) hours = h;
    }
    if (hours !== null) parts.push(hours + " " + t("hours"));
    if (!parts.length) return null;
    return parts[0] + (parts.length > 1 ? " (" + parts.slice(1).join(", ") + ")" : "");
  }

  function result(r) {
    if (r.value === null) return r.status === "Completed" || !r.status ? t("completed") : r.status;
    let text = /^\d+(\.\d+)?$/.test(r.value) ? number(r.value) : r.value;
    const extra = [];
    if (r.value_min !== null && r.value_max !== null) {
      extra.push(t("scale") + number(r.value_min) + "–" + number(r.value_max));
    }
    if (r.required_value !== null) extra.push(t("pass_mark") + number(r.required_value));
    return text + (extra.length ? " (" + extra.join(", ") + ")" : "");
  }

  function fields(s, verified) {
    const dl = $("fields");
    dl.replaceChildren();
    const hashed = (s.identifiers || []).filter((i) => i.hashed)
      .map((i) => T[lang].id[i.identity_type] || i.identity_type);
    addField(dl, t("f_learner"), s.learner_name || t("no_name"),
      { big: true, sub: hashed.length ? t("hashed") + hashed.join(", ") : null });
    const inst = s.institution;
    if (inst) {
      let sub = [];
      if (inst.brin) sub.push("BRIN " + inst.brin);
      if (inst.parent && inst.parent.name) sub.push(t("part_of") + inst.parent.name);
      addField(dl, t("f_institution"), inst.name || inst.id, { sub: sub.join(" · ") || null });
      if (inst.name && inst.id) addField(dl, t("f_issuer_id"), inst.id);
    }
    addField(dl, t("f_unit"), s.unit_name, { big: true, sub: s.code });
    const levels = [];
    if (s.nlqf !== null) levels.push("NLQF " + (s.nlqf === "entry" ? t("entry") : s.nlqf));
    if (s.eqf !== null) levels.push("EQF " + s.eqf);
    addField(dl, t("f_level"), levels.join(" · "));
    addField(dl, t("f_size"), size(s));
    (s.results || []).forEach((r) => addField(dl, t("f_result"), result(r)));
    addField(dl, t("f_outcomes"), (s.outcomes || []).map((o) => o.name || o.description || ""));
    addField(dl, t("f_assessment"), s.assessment && vocab(s.assessment));
    addField(dl, t("f_participation"), s.participation && vocab(s.participation));
    addField(dl, t("f_supervision"), s.supervision && vocab(s.supervision));
    if (s.identity_checked !== null) addField(dl, t("f_identity"), s.identity_checked ? t("yes") : t("no"));
    addField(dl, t("f_qa"), (s.quality_assurance || []).map((q) => q.name || q.url || ""));
    addField(dl, t("f_prerequisites"), (s.prerequisites || []).map((p) => p.name || ""));
    addField(dl, t("f_valid_from"), date(s.valid_from));
    addField(dl, t("f_valid_until"), date(s.valid_until));
    addField(dl, t("f_credential"), s.credential_id);
  }

  function show(state) {
    last = state;
    $("busy").hidden = true;
    $("result").hidden = false;
    const verdict = $("verdict");
    const says = document.querySelector(".says");
    const report = state.kind === "report" ? state.data : null;
    const verified = !!(report && report.verified === true);
    verdict.setAttribute("data-verified", verified ? "true" : "false");
    if (verified) {
      $("verdict-title").textContent = t("verified_title");
      $("verdict-detail").textContent = t("verified_detail");
    } else if (report) {
      $("verdict-title").textContent = t("failed_title");
      const failed = (report.errors || []).map((e) => checkName(e.check) + " (" + e.code + ")");
      $("verdict-detail").textContent = t("failed_detail") + failed.join(", ");
    } else {
      $("verdict-title").textContent = state.data.code === "credential_unknown" ? t("failed_title") : t("error_title");
      $("verdict-detail").textContent =
        state.data.code === "credential_unknown" ? t("not_found") : state.data.message;
    }
    // what the credential says (or claims, when it did not verify)
    const summary = report && report.summary;
    const heading = $("says-h");
    heading.replaceChildren(el("span", null, verified ? t("says_verified") : t("says_unverified")));
    if (!verified) heading.appendChild(el("span", "unverified-mark", t("unverified_mark")));
    says.classList.toggle("unverified", !verified);
    $("says-empty").hidden = !!summary;
    if (summary) fields(summary, verified); else $("fields").replaceChildren();
    // every check with its reason
    const list = $("checks");
    list.replaceChildren();
    (report ? report.checks : []).forEach((c) => {
      const li = el("li", c.status);
      li.setAttribute("data-check", c.id);
      li.setAttribute("data-status", c.status);
      const head = el("div", "check-head");
      head.appendChild(el("span", "badge " + c.status, t(c.status)));
      head.appendChild(el("span", "check-name", checkName(c.id)));
      head.appendChild(el("span", "check-id", c.id));
      li.appendChild(head);
      checkMessage(li, c);
      list.appendChild(li);
    });
    if (!list.children.length) list.appendChild(el("li", "muted", t("no_checks")));
    const warnings = $("warnings");
    warnings.replaceChildren();
    if (report && report.warnings && report.warnings.length) {
      warnings.appendChild(el("h3", null, t("warnings")));
      const ul = el("ul");
      report.warnings.forEach((w) => ul.appendChild(el("li", null, w)));
      warnings.appendChild(ul);
    }
    $("picture").hidden = !state.picture;
  }

  async function send(url, options, picture) {
    $("busy").hidden = false;
    $("result").hidden = true;
    let state;
    try {
      const response = await fetch(url, options);
      let body = null;
      try { body = await response.json(); } catch (e) { body = null; }
      if (body && body.error) state = { kind: "error", data: body.error };
      else if (body && typeof body.verified === "boolean") state = { kind: "report", data: body };
      else state = { kind: "error", data: { code: "http_" + response.status, message: "HTTP " + response.status } };
    } catch (e) {
      state = { kind: "error", data: { code: "network", message: String(e) } };
    }
    state.picture = picture;
    await reasonsReady;
    show(state);
    $("verdict").focus();
  }

  function isPicture(file) {
    return /^image\/(png|svg\+xml)$/.test(file.type) || /\.(png|svg)$/i.test(file.name);
  }

  function verifyFile(file) {
    if (!file) return;
    if (pictureUrl) { URL.revokeObjectURL(pictureUrl); pictureUrl = null; }
    const picture = isPicture(file);
    if (picture) {
      pictureUrl = URL.createObjectURL(file);
      $("picture-img").src = pictureUrl;
    }
    send("verify/upload", {
      method: "POST", body: file, headers: { "Content-Type": "application/octet-stream" }
    }, picture);
  }

  function verifyText(text) {
    if (!text.trim()) return;
    send("verify/upload", {
      method: "POST", body: text, headers: { "Content-Type": "text/plain; charset=utf-8" }
    }, false);
  }

  document.addEventListener("DOMContentLoaded", () => {
    let chosen = null;
    try { chosen = localStorage.getItem("mcbadge-lang"); } catch (e) { chosen = null; }
    setLang(chosen || document.documentElement.lang || "nl", false);
    document.querySelectorAll(".langs button").forEach((b) => {
      b.addEventListener("click", () => setLang(b.getAttribute("data-lang"), true));
    });
    const file = $("file");
    file.addEventListener("change", () => { verifyFile(file.files[0]); file.value = ""; });
    const drop = $("drop");
    ["dragenter", "dragover"].forEach((name) => document.addEventListener(name, (e) => {
      e.preventDefault();
      drop.classList.add("over");
    }));
    ["dragleave", "dragend"].forEach((name) => document.addEventListener(name, () => drop.classList.remove("over")));
    document.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length) verifyFile(e.dataTransfer.files[0]);
      else if (e.dataTransfer) verifyText(e.dataTransfer.getData("text/plain") || "");
    });
    $("paste-form").addEventListener("submit", (e) => {
      e.preventDefault();
      verifyText($("paste").value);
    });
    const id = new URLSearchParams(location.search).get("id");
    if (/\/verify$/.test(location.pathname) && id) {
      send("verify/issued?id=" + encodeURIComponent(id), { method: "GET" }, false);
    }
  });
})();
