// Give Material's search dialog an accessible name (axe-core: aria-dialog-name;
// squidfunk/mkdocs-material#4101). Nothing else runs here and nothing is fetched.
document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
  dialog.setAttribute("aria-label", "Search");
});
