// Everything under /admin, loaded as its own chunk: a guest's phone never downloads it.

import { Route, Routes } from "react-router";
import { AdminLayout, RequireAdmin } from "./AdminLayout";
import { BoardPage } from "./BoardPage";
import { CodePrintPage } from "./CodePrintPage";
import { CodesPage } from "./CodesPage";
import { DashboardPage } from "./DashboardPage";
import { GuestsPage } from "./GuestsPage";
import { HostedCallbackPage } from "./HostedCallbackPage";
import { KitchenPage } from "./KitchenPage";
import { MenuEditorPage } from "./MenuEditorPage";

export default function AdminApp() {
  return (
    <Routes>
      <Route path="callback" element={<HostedCallbackPage />} />
      <Route path="codes/:code/print" element={<CodePrintPage />} />
      <Route
        path="board"
        element={
          <RequireAdmin>
            <BoardPage />
          </RequireAdmin>
        }
      />
      <Route element={<AdminLayout />}>
        <Route index element={<DashboardPage />} />
        <Route path="orders" element={<KitchenPage />} />
        <Route path="menu" element={<MenuEditorPage />} />
        <Route path="codes" element={<CodesPage />} />
        <Route path="guests" element={<GuestsPage />} />
      </Route>
    </Routes>
  );
}
