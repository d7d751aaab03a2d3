import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { loadConfig } from "./config";
import { registerServiceWorker, shareLocaleWithWorker } from "./app/serviceWorker";
import { makeServices } from "./app/services";
import { onLocaleChange, startLocale, translate } from "./i18n";
import "./styles.css";

startLocale(); // the language chosen on this device before, else the browser's; sets <html lang>

registerServiceWorker();
// a pushed notification is written by the worker, with the app closed: in the guest's language
void shareLocaleWithWorker(translate().locale);
onLocaleChange(() => void shareLocaleWithWorker(translate().locale));

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
