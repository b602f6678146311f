import { lazy, Suspense, type ReactNode } from "react";
import { createBrowserRouter, RouterProvider } from "react-router-dom";
import { SessionProvider } from "./auth/session";
import { Layout } from "./components/Layout";
import { CatalogPage } from "./pages/CatalogPage";
import { MicroCredentialPage } from "./pages/MicroCredentialPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { SignInPage } from "./pages/SignInPage";
import { Loading } from "./components/Status";
import { RequireSignIn } from "./auth/RequireSignIn";

// Screens behind sign-in load on demand, so the catalog's first load stays small.
const MyWorkPage = lazy(() => import("./workspace/MyWorkPage").then((m) => ({ default: m.MyWorkPage })));
const ReviewQueuePage = lazy(() => import("./review/ReviewQueuePage").then((m) => ({ default: m.ReviewQueuePage })));
const ReviewPage = lazy(() => import("./review/ReviewPage").then((m) => ({ default: m.ReviewPage })));
const NotificationsPage = lazy(() => import("./me/NotificationsPage").then((m) => ({ default: m.NotificationsPage })));
const CredentialsPage = lazy(() => import("./me/CredentialsPage").then((m) => ({ default: m.CredentialsPage })));
const AdminPage = lazy(() => import("./admin/AdminPage").then((m) => ({ default: m.AdminPage })));
const DesignerPage = lazy(() => import("./admin/Designer").then((m) => ({ default: m.DesignerPage })));
const EnrolmentPage = lazy(() => import("./workspace/EnrolmentPage").then((m) => ({ default: m.EnrolmentPage })));

function signedIn(page: ReactNode) {
  return (
    <RequireSignIn>
      <Suspense fallback={<Loading />}>{page}</Suspense>
    </RequireSignIn>
  );
}

export const routes = [
  {
    element: <Layout />,
    children: [
      { path: "/", element: <CatalogPage /> },
      { path: "/micro-credentials/:id", element: <MicroCredentialPage /> },
      { path: "/sign-in", element: <SignInPage /> },
      { path: "/my-work", element: signedIn(<MyWorkPage />) },
      { path: "/enrolments/:id", element: signedIn(<EnrolmentPage />) },
      { path: "/reviews", element: signedIn(<ReviewQueuePage />) },
      { path: "/notifications", element: signedIn(<NotificationsPage />) },
      { path: "/admin", element: signedIn(<AdminPage />) },
      { path: "/admin/issuers/:issuer/new", element: signedIn(<DesignerPage />) },
      { path: "/admin/micro-credentials/:id", element: signedIn(<DesignerPage />) },
      { path: "/my-credentials", element: signedIn(<CredentialsPage />) },
      { path: "/reviews/:id", element: signedIn(<ReviewPage />) },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
