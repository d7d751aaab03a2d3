import { ApiError } from "../api/http";
import { TokenSession, jwtClaims } from "./tokenSession";

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (key) => void data.delete(key),
    setItem: (key, value) => void data.set(key, value),
  };
}

/** A serialising lock shared by "tabs", like navigator.locks. */
function sharedLocks() {
  let tail = Promise.resolve();
  return {
    request<T>(_name: string, callback: () => Promise<T>): Promise<T> {
      const run = tail.then(callback);
      tail = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
  };
}

describe("TokenSession", () => {
  let now = 1_000_000;
  const clock = () => now;

  it("hands out the access token while fresh and refreshes a minute before expiry", async () => {
    const refresher = vi.fn().mockResolvedValue({ access_token: "a2", refresh_token: "r2", expires_in: 900 });
    const session = new TokenSession("guest", refresher, { storage: memoryStorage(), locks: null, now: clock });
    session.start({ access_token: "a1", refresh_token: "r1", expires_in: 900 }, { name: "Ana" });

    expect(await session.token()).toBe("a1");
    now += 850_000; // 50 s left
    expect(await session.token()).toBe("a2");
    expect(refresher).toHaveBeenCalledWith("r1");
    expect(session.load()?.refresh_token).toBe("r2");
  });

  it("refreshes a short-lived token at three quarters of its life, not the moment it arrives", async () => {
    const refresher = vi.fn().mockResolvedValue({ access_token: "a2", refresh_token: "r2", expires_in: 60 });
    const session = new TokenSession("guest", refresher, { storage: memoryStorage(), locks: null, now: clock });
    session.start({ access_token: "a1", refresh_token: "r1", expires_in: 60 }, { name: "Ana" });

    expect(await session.token()).toBe("a1");
    now += 44_000; // 16 s of 60 left: still fresh (a minute's skew would refresh at once)
    expect(await session.token()).toBe("a1");
    expect(refresher).not.toHaveBeenCalled();
    now += 2_000; // 14 s left: under a quarter
    expect(await session.token()).toBe("a2");
  });

  it("refreshes once for many callers at the same time", async () => {
    let release!: () => void;
    const refresher = vi.fn(
      () =>
        new Promise<{ access_token: string; refresh_token: string; expires_in: number }>((resolve) => {
          release = () => resolve({ access_token: "a2", refresh_token: "r2", expires_in: 900 });
        }),
    );
    const session = new TokenSession("guest", refresher, { storage: memoryStorage(), locks: null, now: clock });
    session.start({ access_token: "a1", refresh_token: "r1", expires_in: 900 }, {});
    const renewals = [session.renew("a1"), session.renew("a1"), session.renew("a1")];
    await Promise.resolve();
    release();
    expect(await Promise.all(renewals)).toEqual(["a2", "a2", "a2"]);
    expect(refresher).toHaveBeenCalledTimes(1);
  });

  it("never presents a rotated refresh token twice across tabs", async () => {
    const storage = memoryStorage();
    const locks = sharedLocks();
    let counter = 1;
    const used: string[] = [];
    const refresher = vi.fn(async (token: string) => {
      used.push(token);
      counter += 1;
      return { access_token: `a${counter}`, refresh_token: `r${counter}`, expires_in: 900 };
    });
    const tabA = new TokenSession("guest", refresher, { storage, locks, now: clock });
    const tabB = new TokenSession("guest", refresher, { storage, locks, now: clock });
    tabA.start({ access_token: "a1", refresh_token: "r1", expires_in: 900 }, {});

    const [a, b] = await Promise.all([tabA.renew("a1"), tabB.renew("a1")]);
    expect(used).toEqual(["r1"]); // the second tab reused the first tab's new tokens
    expect(a).toBe("a2");
    expect(b).toBe("a2");
  });

  it("signs out only when the refresh token is refused, not when the network is down", async () => {
    const refresher = vi.fn().mockRejectedValueOnce(new ApiError(0, "network_error", "offline"));
    const session = new TokenSession("guest", refresher, { storage: memoryStorage(), locks: null, now: clock });
    session.start({ access_token: "a1", refresh_token: "r1", expires_in: 900 }, {});
    const changes = vi.fn();
    session.subscribe(changes);

    await expect(session.renew("a1")).rejects.toMatchObject({ code: "network_error" });
    expect(session.signedIn).toBe(true);

    expect(session.takeEnded()).toBe(false);
    refresher.mockRejectedValueOnce(new ApiError(401, "invalid_refresh_token", "revoked"));
    expect(await session.renew("a1")).toBeNull();
    expect(session.signedIn).toBe(false);
    expect(changes).toHaveBeenCalled();
    // the sign-in page may say once that the bar ended the session
    expect(session.takeEnded()).toBe(true);
    expect(session.takeEnded()).toBe(false);
  });

  it("a sign-out of the user's own leaves nothing to explain", () => {
    const session = new TokenSession("guest", vi.fn(), { storage: memoryStorage(), locks: null, now: clock });
    session.start({ access_token: "a1", refresh_token: "r1", expires_in: 900 }, {});
    session.signOut();
    expect(session.takeEnded()).toBe(false);
  });
});

describe("jwtClaims", () => {
  it("reads a token's claims, including non-ASCII names", () => {
    const payload = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify({ username: "Zoë", "cognito:groups": ["admin"] }))))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    expect(jwtClaims(`h.${payload}.s`)).toEqual({ username: "Zoë", "cognito:groups": ["admin"] });
    expect(jwtClaims("garbage")).toEqual({});
  });
});
