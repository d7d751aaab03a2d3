import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { AdminLayout } from "../admin/AdminLayout";
import { CodePrintPage } from "../admin/CodePrintPage";
import { CodesPage } from "../admin/CodesPage";
import { DashboardPage } from "../admin/DashboardPage";
import { GuestsPage } from "../admin/GuestsPage";
import { HostedCallbackPage } from "../admin/HostedCallbackPage";
import { KitchenPage } from "../admin/KitchenPage";
import { MenuEditorPage } from "../admin/MenuEditorPage";
import { BartenderPage } from "../guest/BartenderPage";
import { GuestLayout } from "../guest/GuestLayout";
import { JoinPage } from "../guest/JoinPage";
import { MenuPage } from "../guest/MenuPage";
import { OrdersPage } from "../guest/OrdersPage";
import { ServicesProvider, type Services } from "./services";

export function App({ services }: { services: Services }) {
  return (
    <ServicesProvider services={services}>
      <BrowserRouter>
        <Routes>
          <Route path="/join" element={<JoinPage />} />
          <Route element={<GuestLayout />}>
            <Route index element={<MenuPage />} />
            <Route path="orders" element={<OrdersPage />} />
            <Route path="bartender" element={<BartenderPage />} />
          </Route>
          <Route path="/admin/callback" element={<HostedCallbackPage />} />
          <Route path="/admin/codes/:code/print" element={<CodePrintPage />} />
          <Route path="/admin" element={<AdminLayout />}>
            <Route index element={<DashboardPage />} />
            <Route path="orders" element={<KitchenPage />} />
            <Route path="menu" element={<MenuEditorPage />} />
            <Route path="codes" element={<CodesPage />} />
            <Route path="guests" element={<GuestsPage />} />
          </Route>
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </BrowserRouter>
    </ServicesProvider>
  );
}
