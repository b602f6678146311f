import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router-dom";
import { Loading } from "../components/Status";
import { useSession } from "./session";

// Signed-out visitors go to the sign-in form, and come back here afterwards; so does a user whose
// session ended on this page (the page's unsaved work waits in this browser, see components/backup).
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}
