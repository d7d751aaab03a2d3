import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { RegistrationCode } from "../api/types";
import { fakeServices, renderAt } from "../test/fakeServices";
import { CodesPage } from "./CodesPage";

function code(patch: Partial<RegistrationCode>): RegistrationCode {
  return {
    code: "abcd2345",
    join_url: "http://localhost:8080/join?code=abcd2345",
    expires_at: "2026-01-02T08:00:00Z",
    max_uses: 50,
    use_count: 0,
    status: "active",
    notes: null,
    created_by: "admin@example.com",
    created_at: "2026-01-01T20:00:00Z",
    ...patch,
  };
}

function setup(codes: RegistrationCode[]) {
  const services = fakeServices();
  const api = services.api.identityAdmin;
  api.codes = vi.fn().mockResolvedValue(codes);
  api.createCode = vi.fn();
  api.revokeCode = vi.fn().mockResolvedValue(undefined);
  renderAt("/admin/codes", <CodesPage />, services);
  return api;
}

describe("CodesPage", () => {
  it("creates a code and shows it with its join link and a way to print it", async () => {
    const fresh = code({ code: "newcode22", join_url: "http://bar/join?code=newcode22", max_uses: 20 });
    const api = setup([]);
    vi.mocked(api.createCode).mockResolvedValue(fresh);

    const maxUses = screen.getByLabelText("Max uses");
    await userEvent.clear(maxUses);
    await userEvent.type(maxUses, "20");
    await userEvent.type(screen.getByLabelText("Notes"), "front door");
    await userEvent.click(screen.getByRole("button", { name: "Create code" }));

    expect(api.createCode).toHaveBeenCalledWith({ max_uses: 20, valid_hours: 12, notes: "front door" });
    const status = await screen.findByRole("status");
    expect(within(status).getByText("newcode22")).toBeInTheDocument();
    expect(within(status).getByRole("link", { name: "http://bar/join?code=newcode22" })).toBeInTheDocument();
    expect(within(status).getByRole("link", { name: "Print" })).toHaveAttribute("href", "/admin/codes/newcode22/print");
    expect(api.codes).toHaveBeenCalledTimes(2); // the table is re-read
  });

  it("refuses out-of-range values before calling the server", async () => {
    const api = setup([]);
    const hours = screen.getByLabelText("Valid for (hours)");
    await userEvent.clear(hours);
    await userEvent.type(hours, "200");
    await userEvent.click(screen.getByRole("button", { name: "Create code" }));

    expect(screen.getByText("Valid for (hours) must be between 1 and 168.")).toBeInTheDocument();
    expect(hours).toHaveAttribute("aria-invalid", "true");
    expect(api.createCode).not.toHaveBeenCalled();
  });

  it("lists codes with uses and revokes only those still usable, after confirming", async () => {
    const api = setup([
      code({ code: "live1111", use_count: 3, created_at: "2026-01-01T21:00:00Z" }),
      code({ code: "gone2222", status: "revoked" }),
    ]);

    const live = (await screen.findByText("live1111")).closest("tr")!;
    expect(within(live).getByText("3 / 50")).toBeInTheDocument();
    const gone = screen.getByText("gone2222").closest("tr")!;
    expect(within(gone).queryByRole("button", { name: /Revoke/ })).not.toBeInTheDocument();

    await userEvent.click(within(live).getByRole("button", { name: "Revoke live1111" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Revoke code" }));

    expect(api.revokeCode).toHaveBeenCalledWith("live1111");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
