import { ApiError, request, type TokenSource } from "./http";

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

afterEach(() => vi.restoreAllMocks());

describe("request", () => {
  it("turns the error envelope into an ApiError with the field errors", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(
      json(400, { error: { code: "validation_error", message: "Invalid request", details: { fields: { quantity: "must be 1-3" } } } }),
    );
    const error = (await request("/api/orders/orders", { method: "POST", body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe("validation_error");
    expect(error.friendly).toBe("quantity: must be 1-3");
  });

  it("renews the token once after a 401 and retries with the new one", async () => {
    const fetch = vi
      .spyOn(globalThis, "fetch")
      .mockResolvedValueOnce(json(401, { error: { code: "unauthorized", message: "expired" } }))
      .mockResolvedValueOnce(json(200, { orders: [] }));
    const auth: TokenSource = { token: async () => "old", renew: vi.fn(async () => "new") };

    expect(await request("/api/orders/orders", { auth })).toEqual({ orders: [] });
    expect(auth.renew).toHaveBeenCalledWith("old");
    const headers = (call: number) => fetch.mock.calls[call]![1]!.headers as Record<string, string>;
    expect(headers(0).Authorization).toBe("Bearer old");
    expect(headers(1).Authorization).toBe("Bearer new");
  });

  it("reports a signed-out session without calling the service when there is no token", async () => {
    const fetch = vi.spyOn(globalThis, "fetch");
    const auth: TokenSource = { token: async () => null, renew: async () => null };
    await expect(request("/api/orders/orders", { auth })).rejects.toMatchObject({ status: 401, code: "signed_out" });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("says the network is down instead of throwing a TypeError", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("Failed to fetch"));
    await expect(request("/api/menu/drinks")).rejects.toMatchObject({ status: 0, code: "network_error" });
  });

  it("returns nothing for 204", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(null, { status: 204 }));
    expect(await request("/api/menu/admin/drinks/x", { method: "DELETE" })).toBeUndefined();
  });
});
