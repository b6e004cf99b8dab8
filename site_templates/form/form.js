// The answer form: keeps a draft in this browser and writes the answers as an answer
// sheet (YAML) to download or copy. It fetches nothing and sends nothing anywhere.
// Everything it needs is in the page: each question is a fieldset with data-key and
// data-kind; the form element carries the sheet's header lines and the draft's key.
(function () {
  "use strict";

  // YAML --------------------------------------------------------------------------------
  // A value is written plain only when no YAML 1.1 reader could take it for anything but
  // text: it starts with a letter, holds only letters, digits, spaces and . _ ' ( ) / + -,
  // does not end in a space and is not a word YAML 1.1 reads as true, false or null.
  // Everything else is double-quoted, with every character that is not plain printable
  // text escaped.
  var PLAIN = /^[A-Za-z](?:[A-Za-z0-9 ._'()\/+-]*[A-Za-z0-9._'()\/+-])?$/;
  var SPECIAL_WORD = /^(?:y|n|yes|no|on|off|true|false|null)$/i;
  var NAMED_ESCAPES = { 0: "\\0", 9: "\\t", 10: "\\n", 13: "\\r", 34: '\\"', 92: "\\\\" };

  function hex4(code) {
    return ("000" + code.toString(16).toUpperCase()).slice(-4);
  }

  function needsEscape(code) {
    return (
      code < 0x20 ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2028 ||
      code === 0x2029 ||
      code === 0xfeff ||
      code === 0xfffe ||
      code === 0xffff
    );
  }

  function quoted(text) {
    var out = '"';
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        var low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          out += text.charAt(i) + text.charAt(i + 1); // a pair: one character, kept
          i++;
          continue;
        }
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        out += "\ufffd"; // half a pair is no character: UTF-8 cannot hold it
      } else if (NAMED_ESCAPES[code] !== undefined) {
        out += NAMED_ESCAPES[code];
      } else if (needsEscape(code)) {
        out += "\\u" + hex4(code);
      } else {
        out += text.charAt(i);
      }
    }
    return out + '"';
  }

  function scalar(text) {
    text = String(text);
    return PLAIN.test(text) && !SPECIAL_WORD.test(text) ? text : quoted(text);
  }

  // One line of a comment: bank text never ends the comment early.
  function commentText(text) {
    return String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
  }

  // The answer as YAML: points are numbers, ids and n/a text, multi a flow list.
  function answerYaml(answer) {
    var value = answer.value;
    var written;
    if (Array.isArray(value)) {
      written = "[" + value.map(scalar).join(", ") + "]";
    } else if (answer.kind === "points" && /^-?[0-9]+$/.test(value)) {
      written = String(parseInt(value, 10));
    } else {
      written = scalar(value);
    }
    if (answer.note) {
      return "{answer: " + written + ", note: " + scalar(answer.note) + "}";
    }
    return written;
  }

  // The sheet, laid out as `cxmaturity template` lays it out: header comments, respondent,
  // team, role, then the answers in the bank's order under each dimension's comment.
  // Blank optional keys and unanswered questions are left out.
  function sheetYaml(sheet) {
    var lines = (sheet.header || []).map(function (line) {
      return "# " + commentText(line);
    });
    lines.push("");
    if (sheet.respondent) lines.push("respondent: " + scalar(sheet.respondent));
    lines.push("team: " + scalar(sheet.team));
    if (sheet.role) lines.push("role: " + scalar(sheet.role));
    if (!sheet.answers.length) {
      lines.push("answers: {}");
      return lines.join("\n") + "\n";
    }
    lines.push("answers:");
    var section = null;
    sheet.answers.forEach(function (answer) {
      if (answer.section !== section) {
        section = answer.section;
        lines.push("", "  # " + commentText(section));
      }
      lines.push("  " + scalar(answer.key) + ": " + answerYaml(answer));
    });
    return lines.join("\n") + "\n";
  }

  // A file name part: lower-case letters and digits joined by single dashes.
  function slug(text) {
    return String(text)
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60);
  }

  function fileName(sheet) {
    var who = slug(sheet.respondent || "") || "respondent";
    return (slug(sheet.team) || "team") + "-" + who + ".yml";
  }

  var api = {
    scalar: scalar,
    sheetYaml: sheetYaml,
    fileName: fileName,
    slug: slug,
  };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api; // node, for the tests
  }
  if (typeof document === "undefined") return;

  // The page -----------------------------------------------------------------------------
  var form = document.getElementById("cx-form");
  if (!form) return;
  var fieldsets = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-key]"));
  var storageKey = form.getAttribute("data-draft");
  var header = JSON.parse(form.getAttribute("data-header"));
  var byId = function (id) {
    return document.getElementById(id);
  };
  var team = byId("cx-team");
  var role = byId("cx-role");
  var respondent = byId("cx-name");
  var status = byId("cx-status");
  var errors = byId("cx-errors");
  var preview = byId("cx-preview");
  var storage = null;
  try {
    storage = window.localStorage;
    storage.getItem(storageKey);
  } catch (error) {
    storage = null; // storage is off (private browsing, a policy): the form still works
  }

  // What only the script can do is added by the script: a button to clear an answer and
  // the warning that a note without an answer is not kept.
  fieldsets.forEach(function (fieldset) {
    var number = fieldset.querySelector(".cx-n").textContent.replace(".", "");
    var lost = document.createElement("p");
    lost.className = "cx-lost";
    lost.hidden = true;
    lost.textContent = form.getAttribute("data-lost");
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "cx-clear";
    clear.hidden = true;
    clear.textContent = "Clear answer " + number;
    var tools = document.createElement("div");
    tools.className = "cx-tools";
    fieldset.insertBefore(tools, fieldset.querySelector(".cx-note"));
    tools.appendChild(fieldset.querySelector(".cx-note"));
    tools.appendChild(clear);
    fieldset.appendChild(lost);
  });

  function inputs(fieldset) {
    return Array.prototype.slice.call(fieldset.querySelectorAll("input"));
  }

  function noteOf(fieldset) {
    return fieldset.querySelector("textarea");
  }

  // A question's answer: a string, a list (multi) or null when unanswered.
  function valueOf(fieldset) {
    var checked = inputs(fieldset).filter(function (input) {
      return input.checked;
    });
    if (fieldset.getAttribute("data-kind") !== "multi") {
      return checked.length ? checked[0].value : null;
    }
    var only = checked.filter(function (input) {
      return input.hasAttribute("data-only");
    });
    if (only.length) return only[0].value === "[]" ? [] : only[0].value;
    return checked.length
      ? checked.map(function (input) {
          return input.value;
        })
      : null;
  }

  function setValue(fieldset, value) {
    var multi = fieldset.getAttribute("data-kind") === "multi";
    inputs(fieldset).forEach(function (input) {
      if (Array.isArray(value) && !value.length) {
        input.checked = input.value === "[]";
      } else if (Array.isArray(value)) {
        input.checked = !input.hasAttribute("data-only") && value.indexOf(input.value) >= 0;
      } else {
        input.checked =
          value !== null && input.value === value && (!multi || input.hasAttribute("data-only"));
      }
    });
  }

  function trimmed(field) {
    return field ? field.value.replace(/\s+/g, " ").trim() : "";
  }

  function current() {
    var answers = [];
    fieldsets.forEach(function (fieldset) {
      var value = valueOf(fieldset);
      if (value === null) return;
      var note = noteOf(fieldset).value;
      answers.push({
        key: fieldset.getAttribute("data-key"),
        kind: fieldset.getAttribute("data-kind"),
        section: fieldset.closest("section").getAttribute("data-section"),
        value: value,
        note: note.trim() ? note : "",
      });
    });
    return {
      header: header,
      respondent: trimmed(respondent),
      team: trimmed(team),
      role: trimmed(role),
      answers: answers,
    };
  }

  // Progress ------------------------------------------------------------------------------
  function refresh() {
    var answered = 0;
    var sections = {};
    fieldsets.forEach(function (fieldset) {
      var done = valueOf(fieldset) !== null;
      var section = fieldset.closest("section").id;
      sections[section] = sections[section] || [0, 0];
      sections[section][1]++;
      if (done) {
        answered++;
        sections[section][0]++;
      }
      fieldset.classList.toggle("cx-done", done);
      fieldset.querySelector(".cx-clear").hidden = !done;
      var lost = fieldset.querySelector(".cx-lost");
      lost.hidden = done || !noteOf(fieldset).value.trim();
    });
    var text = answered + " of " + fieldsets.length + " answered";
    byId("cx-count").textContent = text;
    var bar = byId("cx-bar");
    bar.value = answered;
    Object.keys(sections).forEach(function (id) {
      var count = document.querySelector('[data-count-for="' + id + '"]');
      if (count) count.textContent = sections[id][0] + "/" + sections[id][1];
    });
    if (preview && preview.closest("details").open) preview.textContent = sheetYaml(current());
  }

  // The draft -----------------------------------------------------------------------------
  function save() {
    if (!storage) return;
    var draft = { team: team.value, role: role.value, name: respondent.value, answers: {} };
    fieldsets.forEach(function (fieldset) {
      var value = valueOf(fieldset);
      var note = noteOf(fieldset).value;
      if (value !== null || note) {
        draft.answers[fieldset.getAttribute("data-key")] = { value: value, note: note };
      }
    });
    try {
      storage.setItem(storageKey, JSON.stringify(draft));
    } catch (error) {
      say("This browser would not keep a draft: download your answers before you close the page.");
    }
  }

  function restore() {
    var draft = null;
    try {
      draft = storage && JSON.parse(storage.getItem(storageKey) || "null");
    } catch (error) {
      draft = null; // an unreadable draft is ignored, never trusted
    }
    if (!draft || typeof draft !== "object") return false;
    var restored = false;
    [
      [team, draft.team],
      [role, draft.role],
      [respondent, draft.name],
    ].forEach(function (pair) {
      if (typeof pair[1] === "string" && pair[1]) {
        pair[0].value = pair[1];
        if (pair[0].value !== pair[1]) pair[0].value = ""; // not one of the select's options
        restored = restored || pair[0].value !== "";
      }
    });
    var answers = draft.answers || {};
    fieldsets.forEach(function (fieldset) {
      var saved = answers[fieldset.getAttribute("data-key")];
      if (!saved || typeof saved !== "object") return;
      if (saved.value !== undefined) setValue(fieldset, saved.value);
      if (typeof saved.note === "string" && saved.note) {
        noteOf(fieldset).value = saved.note;
        noteOf(fieldset).closest("details").open = true;
      }
      restored = restored || valueOf(fieldset) !== null || noteOf(fieldset).value !== "";
    });
    return restored;
  }

  function say(message) {
    status.textContent = message;
  }

  // Checking and writing ----------------------------------------------------------------
  function problems(sheet) {
    var found = [];
    if (!sheet.team) found.push(["cx-team", team.getAttribute("data-missing")]);
    if (!sheet.answers.length) found.push([fieldsets[0].id, "Answer at least one question."]);
    return found;
  }

  function showProblems(found) {
    var list = errors.querySelector("ul");
    list.textContent = "";
    found.forEach(function (problem) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + problem[0];
      link.textContent = problem[1];
      item.appendChild(link);
      list.appendChild(item);
    });
    var teamMissing = found.some(function (problem) {
      return problem[0] === "cx-team";
    });
    byId("cx-team-error").hidden = !teamMissing;
    if (teamMissing) team.setAttribute("aria-invalid", "true");
    else team.removeAttribute("aria-invalid");
    errors.hidden = !found.length;
    if (found.length) errors.focus();
    return !found.length;
  }

  function ready() {
    var sheet = current();
    return showProblems(problems(sheet)) ? sheet : null;
  }

  function download() {
    var sheet = ready();
    if (!sheet) return;
    var blob = new Blob([sheetYaml(sheet)], { type: "application/yaml" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName(sheet);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
    }, 10000);
    say("Downloaded " + link.download + ". Send this file back as you were asked to.");
  }

  function copy() {
    var sheet = ready();
    if (!sheet) return;
    var text = sheetYaml(sheet);
    var done = function () {
      say("Copied. Paste it into an e-mail or a file and send it back as you were asked to.");
    };
    var fallback = function () {
      var details = preview.closest("details");
      details.open = true;
      preview.textContent = text;
      var range = document.createRange();
      range.selectNodeContents(preview);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      if (copied) done();
      else say("This browser would not copy: the answers are selected below, copy them yourself.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function clearAll() {
    if (!window.confirm(byId("cx-clear-all").getAttribute("data-confirm"))) return;
    fieldsets.forEach(function (fieldset) {
      setValue(fieldset, null);
      noteOf(fieldset).value = "";
      noteOf(fieldset).closest("details").open = false;
    });
    [team, role, respondent].forEach(function (field) {
      field.value = "";
    });
    if (storage) storage.removeItem(storageKey);
    showProblems([]);
    refresh();
    say("Your answers are cleared, here and in this browser's storage.");
    team.focus();
  }

  // Events ------------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault(); // nothing is ever sent
  });
  form.addEventListener("change", function (event) {
    var input = event.target;
    var fieldset = input.closest && input.closest("fieldset[data-key]");
    if (fieldset && input.type === "checkbox" && input.checked) {
      // "None of these", n/a and don't know exclude the options, and the options them.
      var only = input.hasAttribute("data-only");
      inputs(fieldset).forEach(function (other) {
        if (other !== input && (only || other.hasAttribute("data-only"))) other.checked = false;
      });
    }
    refresh();
    save();
  });
  form.addEventListener("input", function (event) {
    if (event.target === team && trimmed(team)) {
      byId("cx-team-error").hidden = true; // put right: the summary stays until the next try
      team.removeAttribute("aria-invalid");
    }
    refresh();
    save();
  });
  form.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#cx-errors a");
    if (link) {
      // Go to the field itself, not only its place on the page.
      event.preventDefault();
      var target = byId(link.getAttribute("href").slice(1));
      (target.tagName === "FIELDSET" ? inputs(target)[0] : target).focus();
      return;
    }
    var button = event.target.closest && event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("cx-clear")) {
      var fieldset = button.closest("fieldset");
      setValue(fieldset, null);
      refresh();
      save();
      inputs(fieldset)[0].focus();
    } else if (button.id === "cx-next") {
      var next = fieldsets.filter(function (fieldset) {
        return valueOf(fieldset) === null;
      })[0];
      if (next) inputs(next)[0].focus();
      else byId("cx-finish").focus();
    } else if (button.id === "cx-download") {
      download();
    } else if (button.id === "cx-copy") {
      copy();
    } else if (button.id === "cx-clear-all") {
      clearAll();
    }
  });
  preview.closest("details").addEventListener("toggle", refresh);

  if (restore()) say("Your earlier answers are back: this browser kept them.");
  if (!storage) say("This browser keeps no draft here: download your answers before you close the page.");
  refresh();
})();
