// /cp routes of the complaints area.
import type { Router } from 'express';
import type { EndpointContext } from './context';

export function mountComplaints(_router: Router, _ctx: EndpointContext): void {}
