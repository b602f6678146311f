import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ApiError, get, onUnauthorized, post, setCsrfToken } from "../api/client";
import type { Me, Membership } from "../api/types";

interface Session {
  me: Me | null;
  loading: boolean;
  // The session ended while the app was open (it expired, or was signed out elsewhere): the
  // sign-in page says so, and signing in again clears it.
  expired: boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  hasRole(role: Membership["role"]): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [expired, setExpired] = useState(false);
  const signedIn = useRef(false);
  signedIn.current = me !== null;

  const load = useCallback(async () => {
    try {
      const current = await get<Me>("/api/v1/me");
      setCsrfToken(current.csrf_token);
      setMe(current);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) console.warn("session check failed", e);
      setCsrfToken(null);
      setMe(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // Any request answered 401 while signed in means the session is gone: forget it, so every
  // signed-in screen sends the user to sign in (and back) instead of failing one request at a time.
  useEffect(
    () =>
      onUnauthorized(() => {
        if (!signedIn.current) return;
        signedIn.current = false;
        setCsrfToken(null);
        setExpired(true);
        setMe(null);
      }),
    [],
  );

  const value = useMemo<Session>(
    () => ({
      me,
      loading,
      expired,
      async signIn(email, password) {
        await post("/api/v1/auth/signin", { email, password });
        await load();
        setExpired(false);
      },
      async signOut() {
        await post("/api/v1/auth/signout");
        // Requests still under way now answer 401: that is this sign-out, not an expired session.
        signedIn.current = false;
        setCsrfToken(null);
        setMe(null);
      },
      hasRole(role) {
        return me?.memberships.some((m) => m.role === role) ?? false;
      },
    }),
    [me, loading, expired, load],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
