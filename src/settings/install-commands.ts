import { NPM_TOKEN_VARIABLE } from './constants';
import { ResolvedPackageRegistry } from './resolve';

/**
 * How every build of a service installs its dependencies, from the platform team's registry
 * when there is one: the pipeline's Build, acceptance tests and extra steps, and `buildspec.yml`.
 */
export function installCommands(registry?: ResolvedPackageRegistry): string[] {
  return [...registryLogin(registry), 'npm ci'];
}

/** The commands that point npm at the registry, with its credentials. */
function registryLogin(registry?: ResolvedPackageRegistry): string[] {
  if (registry?.codeArtifact) {
    const { domain, domainOwner, repository, region } = registry.codeArtifact;
    // Writes the registry and a 12-hour token into the build's ~/.npmrc.
    return [`aws codeartifact login --tool npm --domain ${domain} --domain-owner ${domainOwner} --repository ${repository} --region ${region}`
      + (registry.scope ? ` --namespace ${registry.scope}` : '')];
  }
  if (registry?.npmRegistryUrl) {
    const url = registry.npmRegistryUrl.endsWith('/') ? registry.npmRegistryUrl : `${registry.npmRegistryUrl}/`;
    return [
      `npm config set ${registry.scope ? `${registry.scope}:registry` : 'registry'} ${url}`,
      `npm config set "${url.replace(/^https:/, '')}:_authToken" "$${NPM_TOKEN_VARIABLE}"`,
    ];
  }
  return [];
}
