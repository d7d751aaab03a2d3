import { screen } from "@testing-library/react";
import type { RegistrationCode } from "../api/types";
import { fakeServices, renderAt } from "../test/fakeServices";
import { CodePrintPage } from "./CodePrintPage";

const CODE: RegistrationCode = {
  code: "party234",
  join_url: "http://bar/join?code=party234",
  expires_at: "2026-01-02T08:00:00Z",
  max_uses: 50,
  use_count: 8,
  status: "active",
  notes: null,
  created_by: "admin@example.com",
  created_at: "2026-01-01T20:00:00Z",
};

function setup(signedIn: boolean, path = "/admin/codes/party234/print", party?: { certificate_page: string }) {
  const base = fakeServices();
  const services = party ? { ...base, config: { ...base.config, party } } : base;
  if (signedIn) services.admin.start({ access_token: "a", refresh_token: "r", expires_in: 3600 }, { email: "boss@bar" });
  services.api.identityAdmin.codes = vi.fn().mockResolvedValue([CODE]);
  services.api.identityAdmin.qrSvg = vi.fn().mockResolvedValue("<svg xmlns='http://www.w3.org/2000/svg'/>");
  // jsdom has no object URLs.
  URL.createObjectURL = vi.fn(() => "blob:qr");
  URL.revokeObjectURL = vi.fn();
  renderAt(path, <CodePrintPage />, services, "/admin/codes/:code/print");
  return services;
}

describe("CodePrintPage", () => {
  it("asks a signed-out visitor to sign in first", () => {
    const services = setup(false);
    expect(screen.getByRole("heading", { name: "Bartender sign-in" })).toBeInTheDocument();
    expect(services.api.identityAdmin.codes).not.toHaveBeenCalled();
  });

  it("prints the QR code, the code and what is left of it", async () => {
    const services = setup(true);
    expect(await screen.findByRole("img", { name: "QR code to join the party" })).toHaveAttribute("src", "blob:qr");
    expect(services.api.identityAdmin.qrSvg).toHaveBeenCalledWith("party234");
    expect(screen.getByRole("heading", { name: "Scan to join the party" })).toBeInTheDocument();
    expect(screen.getByText("party234")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: CODE.join_url })).toBeInTheDocument();
    expect(screen.getByText(/42 of 50 places left/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to invite codes" })).toBeInTheDocument();
  });

  it("names no certificate page outside make party", async () => {
    setup(true);
    await screen.findByRole("img", { name: "QR code to join the party" });
    expect(screen.queryByText(/First time on this Wi-Fi/)).not.toBeInTheDocument();
  });

  it("under make party, names the page where a phone trusts the party's certificate first", async () => {
    setup(true, undefined, { certificate_page: "http://192.168.1.20:8080/" });
    await screen.findByRole("img", { name: "QR code to join the party" });
    expect(screen.getByText(/First time on this Wi-Fi/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "http://192.168.1.20:8080/" })).toHaveAttribute("href", "http://192.168.1.20:8080/");
  });

  it("says so when the code does not exist", async () => {
    setup(true, "/admin/codes/nope/print");
    expect(await screen.findByRole("alert")).toHaveTextContent("There is no invite code nope.");
  });
});
