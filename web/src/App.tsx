import { createBrowserRouter, RouterProvider } from "react-router-dom";
import { SessionProvider } from "./auth/session";
import { Layout } from "./components/Layout";
import { CatalogPage } from "./pages/CatalogPage";
import { MicroCredentialPage } from "./pages/MicroCredentialPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { SignInPage } from "./pages/SignInPage";

export const routes = [
  {
    element: <Layout />,
    children: [
      { path: "/", element: <CatalogPage /> },
      { path: "/micro-credentials/:id", element: <MicroCredentialPage /> },
      { path: "/sign-in", element: <SignInPage /> },
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
