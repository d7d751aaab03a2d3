import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { loadConfig } from "./config";
import { registerServiceWorker } from "./app/serviceWorker";
import { makeServices } from "./app/services";
import { startLocale, translate } from "./i18n";
import "./styles.css";

startLocale(); // the language chosen on this device before, else the browser's; sets <html lang>

registerServiceWorker();

const root = createRoot(document.getElementById("root")!);

loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App services={makeServices(config)} />
      </StrictMode>,
    ),
  (error: Error) =>
    root.render(
      <main className="join" role="alert">
        <h1>{translate().t("app.cantStart")}</h1>
        <p>{translate().t("app.cantStartWhy", { why: error.message })}</p>
      </main>,
    ),
);
