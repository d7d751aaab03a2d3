import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { ServicesProvider } from "../app/services";
import { fakeServices } from "../test/fakeServices";
import { aBar } from "../test/fixtures";
import { BAR_REFRESH_MS, useBar } from "./live";

const BAR = aBar();

afterEach(() => vi.useRealTimers());

it("re-reads the bar's settings, so a change made on another display shows here too", async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  const services = fakeServices();
  services.api.bar = vi
    .fn()
    .mockResolvedValueOnce(BAR)
    .mockResolvedValue({ ...BAR, wait_warn_seconds: 120, wait_late_seconds: 240 });
  const wrapper = ({ children }: { children: ReactNode }) => <ServicesProvider services={services}>{children}</ServicesProvider>;
  const { result } = renderHook(() => useBar(), { wrapper });
  await waitFor(() => expect(result.current.bar?.wait_warn_seconds).toBe(300));

  await act(async () => vi.advanceTimersByTime(BAR_REFRESH_MS));

  await waitFor(() => expect(result.current.bar?.wait_warn_seconds).toBe(120));
  expect(services.api.bar).toHaveBeenCalledTimes(2);
});
