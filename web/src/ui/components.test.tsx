import { act, render, screen } from "@testing-library/react";
import { ConnectionBadge } from "./components";

function setOnline(online: boolean) {
  vi.spyOn(navigator, "onLine", "get").mockReturnValue(online);
  window.dispatchEvent(new Event(online ? "online" : "offline"));
}

afterEach(() => vi.restoreAllMocks());

describe("ConnectionBadge", () => {
  it("says Offline, never Live, while the browser has no network, and Live again once it is back", () => {
    render(<ConnectionBadge state="live" />);
    expect(screen.getByRole("status")).toHaveTextContent("Live");

    act(() => setOnline(false));
    expect(screen.getByRole("status")).toHaveTextContent("Offline");

    act(() => setOnline(true));
    expect(screen.getByRole("status")).toHaveTextContent("Live");
  });
});
