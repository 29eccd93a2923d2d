// /cp routes of the property area.
import type { Router } from 'express';
import type { EndpointContext } from './context';

export function mountProperty(_router: Router, _ctx: EndpointContext): void {}
