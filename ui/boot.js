// Loads the wasm UI. Kept out of index.html so the CSP needs no inline script.
import init from "./handover_ui.js";

init().catch((error) => {
  const root = document.getElementById("app");
  root.textContent = "Handover's interface failed to load: " + error;
  root.className = "app-failed";
});
