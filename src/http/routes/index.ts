import type { Hono } from 'hono';
import type { HttpEnv } from '../env.ts';
import { authRoutes } from './auth.routes.tsx';
import { dashboardRoutes } from './dashboard.routes.tsx';

/** One sub-app per screen (or API area), mounted at '/' in this order. Add new screens here. */
export const SCREENS: Array<() => Hono<HttpEnv>> = [
  authRoutes,
  dashboardRoutes,
];
