import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiError, get, post, setCsrfToken } from "../api/client";
import type { Me, Membership } from "../api/types";

interface Session {
  me: Me | null;
  loading: boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  hasRole(role: Membership["role"]): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

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

  const value = useMemo<Session>(
    () => ({
      me,
      loading,
      async signIn(email, password) {
        await post("/api/v1/auth/signin", { email, password });
        await load();
      },
      async signOut() {
        await post("/api/v1/auth/signout");
        setCsrfToken(null);
        setMe(null);
      },
      hasRole(role) {
        return me?.memberships.some((m) => m.role === role) ?? false;
      },
    }),
    [me, loading, load],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
