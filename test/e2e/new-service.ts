// Creates a complete service from this checkout, builds and tests it:
//   npx projen new-service <folder>
import * as path from 'path';
import { createService } from './service-factory';

const target = process.argv[2];
if (!target) {
  console.error('Usage: npx projen new-service <folder>   (a new or empty folder for the service)');
  process.exit(1);
}
const dir = path.resolve(target);
console.log(`Creating a service in ${dir} (projen new, then its first build: a few minutes)...`);
try {
  const times = createService(dir, undefined, { build: true });
  console.log(`Done: projen new ${times.projenNew.toFixed(1)} s, first build ${times.firstBuild!.toFixed(1)} s.`);
  console.log(`Next: cd ${target} && npx projen dev   (then open http://localhost:3000/api/v1/health)`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
