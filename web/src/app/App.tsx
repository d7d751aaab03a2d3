import { lazy, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { BartenderPage } from "../guest/BartenderPage";
import { GuestLayout } from "../guest/GuestLayout";
import { JoinPage } from "../guest/JoinPage";
import { MenuPage } from "../guest/MenuPage";
import { OrdersPage } from "../guest/OrdersPage";
import { Loading } from "../ui/components";
import { useWorkerNavigation } from "./serviceWorker";
import { ServicesProvider, type Services } from "./services";

const AdminApp = lazy(() => import("../admin/AdminApp"));

function WorkerNavigation() {
  useWorkerNavigation();
  return null;
}

export function App({ services }: { services: Services }) {
  return (
    <ServicesProvider services={services}>
      <BrowserRouter>
        <WorkerNavigation />
        <Routes>
          <Route path="/join" element={<JoinPage />} />
          <Route element={<GuestLayout />}>
            <Route index element={<MenuPage />} />
            <Route path="orders" element={<OrdersPage />} />
            <Route path="bartender" element={<BartenderPage />} />
          </Route>
          <Route
            path="/admin/*"
            element={
              <Suspense fallback={<Loading />}>
                <AdminApp />
              </Suspense>
            }
          />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </BrowserRouter>
    </ServicesProvider>
  );
}
