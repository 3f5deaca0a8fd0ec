// The Container Apps environment and the silo app. Replicas form one Orleans cluster through the membership
// table; they reach each other on the silo port and clients reach them on the gateway port, both only inside
// the environment. HTTP ingress serves the Event Grid webhook and the dashboard. Logs go to Log Analytics
// through Azure Monitor diagnostic settings, so no workspace key is handed to the environment.

param environmentName string

param appName string

param location string

param logAnalyticsWorkspaceId string

@description('Subnet for a VNet-integrated environment (clients outside the environment reach the gateways through it); empty for none.')
param infrastructureSubnetId string

param identityId string

param identityClientId string

@description('The silo image, e.g. myregistry.azurecr.io/orleans-streams-silo:1.0.')
param containerImage string

@description('Registry the image is pulled from with the managed identity; empty for a public image.')
param registryServer string

param storageAccountName string

param checkpointsContainerName string

@description('The storage roots queries may read and write (OrleansStreams:Silo:AllowedLocations), separated by \';\'.')
param allowedLocations string

param membershipTableName string

param clusterId string

@minValue(1)
@maxValue(300)
param minReplicas int

@minValue(1)
@maxValue(300)
param maxReplicas int

@description('vCPU per replica, e.g. \'1.0\' (with memory to match: 2Gi per vCPU).')
param cpu string

param memory string

@description('OTLP endpoint for traces, metrics and logs; empty to export nothing.')
param otlpEndpoint string

@secure()
@description('Password of the dashboard\'s Basic authentication; empty keeps the dashboard closed.')
param dashboardPassword string

var httpPort = 8080
var siloPort = 11111
var gatewayPort = 30000

var secrets = empty(dashboardPassword)
  ? []
  : [
      {
        name: 'dashboard-password'
        value: dashboardPassword
      }
    ]

var baseEnv = [
  { name: 'ASPNETCORE_URLS', value: 'http://+:${httpPort}' }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'OrleansStreams__Cluster__Clustering', value: 'AzureTable' }
  { name: 'OrleansStreams__Cluster__ClusterId', value: clusterId }
  { name: 'OrleansStreams__Cluster__AccountName', value: storageAccountName }
  { name: 'OrleansStreams__Cluster__TableName', value: membershipTableName }
  { name: 'OrleansStreams__Cluster__SiloPort', value: string(siloPort) }
  { name: 'OrleansStreams__Cluster__GatewayPort', value: string(gatewayPort) }
  {
    name: 'OrleansStreams__Silo__StateRoot'
    value: 'abfss://${checkpointsContainerName}@${storageAccountName}.dfs.${environment().suffixes.storage}/_state'
  }
  { name: 'OrleansStreams__Silo__AllowedLocations', value: allowedLocations }
]

var otlpEnv = empty(otlpEndpoint) ? [] : [{ name: 'OrleansStreams__Telemetry__OtlpEndpoint', value: otlpEndpoint }]

var dashboardEnv = empty(dashboardPassword) ? [] : [{ name: 'OrleansStreams__Dashboard__Password', secretRef: 'dashboard-password' }]

resource managedEnvironment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: environmentName
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    vnetConfiguration: empty(infrastructureSubnetId)
      ? null
      : {
          infrastructureSubnetId: infrastructureSubnetId
          internal: false
        }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: managedEnvironment
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource silo 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: managedEnvironment.id
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      secrets: secrets
      registries: empty(registryServer)
        ? []
        : [
            {
              server: registryServer
              identity: identityId
            }
          ]
      ingress: {
        external: true
        targetPort: httpPort
        transport: 'auto'
        allowInsecure: false
        additionalPortMappings: [
          {
            external: false
            targetPort: siloPort
            exposedPort: siloPort
          }
          {
            external: false
            targetPort: gatewayPort
            exposedPort: gatewayPort
          }
        ]
      }
    }
    template: {
      containers: [
        {
          name: 'silo'
          image: containerImage
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(baseEnv, otlpEnv, dashboardEnv)
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/healthz'
                port: httpPort
              }
              periodSeconds: 2
              failureThreshold: 60
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: httpPort
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/readyz'
                port: httpPort
              }
              periodSeconds: 5
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
      }
    }
  }
}

output fqdn string = silo.properties.configuration.ingress.fqdn
output environmentId string = managedEnvironment.id
