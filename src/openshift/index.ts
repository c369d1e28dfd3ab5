/** OpenShift cluster objects → the node files the Machine Config Operator renders. */
export { renderOpenShift, NODE_PATHS, type RenderOptions, type RenderResult, type RenderedFiles } from './render.ts';
export { parseOpenShiftObjects } from './parse-objects.ts';
export { loadOpenShiftObjects, loadTemplates, readObjectTexts } from './load-objects.ts';
export { openShiftToConfigTexts, loadOpenShiftConfigTexts, type OpenShiftConfigTexts } from './to-config-texts.ts';
export { stockTemplates, STOCK_POLICY_JSON, STOCK_REGISTRIES_CONF, type Templates } from './templates.ts';
export { scopeIsNestedInsideScope, isValidRegistriesConfScope, SOURCE_REGEX, MIRROR_REGEX } from './scopes.ts';
export { outputProfile, type OutputProfile } from './versions.ts';
export type * from './types.ts';
