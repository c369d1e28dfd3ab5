import { pushImage, startDockerRegistry, tinyImage } from '../../test/helpers/docker-registry.ts';
const r = await startDockerRegistry();
const img = await pushImage(r.url, 'lib/hello', 'v1', tinyImage());
console.log(r.addr, img.digest);
setInterval(() => {}, 1e6);
