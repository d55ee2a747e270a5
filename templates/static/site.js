// Progressive enhancement: the Menu button on a small screen, and the share panel's
// copy buttons and print button.
// The buttons are `hidden` in the HTML, so without JavaScript a reader sees only what
// works: the text fields, which can be selected and copied by hand.
"use strict";

(() => {
  const announce = (button, text) => {
    const panel = button.closest(".share") || document;
    const status = panel.querySelector("[role=status]");
    if (!status) return;
    // Clear first so screen readers announce the same message twice in a row too.
    status.textContent = "";
    window.setTimeout(() => { status.textContent = text; }, 50);
  };

  const copyText = async (field) => {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(field.value);
      return;
    }
    // Intranet pages over plain http and file:// have no Clipboard API.
    field.focus();
    field.select();
    if (!document.execCommand("copy")) throw new Error("copy refused");
  };

  for (const button of document.querySelectorAll("button[data-copy-target]")) {
    const field = document.getElementById(button.dataset.copyTarget);
    if (!field) continue;
    button.addEventListener("click", async () => {
      try {
        await copyText(field);
        announce(button, button.dataset.copied || "");
      } catch (error) {
        field.focus();
        field.select();
        announce(button, button.dataset.failed || "");
      }
    });
    button.hidden = false;
  }

  // Disclosure pattern: the menu is open in the HTML; with JavaScript (the `js-menu` class,
  // set in the page's head) a small screen folds it behind the Menu button.
  const menuButton = document.querySelector(".menu-button");
  const menu = menuButton && document.getElementById(menuButton.getAttribute("aria-controls"));
  if (menu) {
    menuButton.addEventListener("click", () => {
      const open = menuButton.getAttribute("aria-expanded") !== "true";
      menuButton.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    });
    menuButton.closest("header").addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.classList.contains("is-open")) {
        menuButton.click();
        menuButton.focus();
      }
    });
  }

  if (typeof window.print === "function") {
    for (const button of document.querySelectorAll("button.print-button")) {
      button.addEventListener("click", () => window.print());
      button.hidden = false;
    }
  }
})();
