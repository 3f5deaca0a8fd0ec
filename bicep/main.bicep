// OrleansStreams on Azure: a storage account (landing, warehouse, checkpoints, notifications, membership),
// Event Grid delivering BlobCreated events of the landing container to the queue, a Container Apps
// environment running the silo app, its managed identity with data roles only, and Log Analytics.
// No keys or secrets: the storage account refuses shared keys and everything authenticates with Entra ID.
//
//   az deployment group create -g <group> -f bicep/main.bicep -p namePrefix=<prefix> containerImage=<image>

targetScope = 'resourceGroup'

@description('Prefix of every resource name: 3-11 lower-case letters and digits.')
@minLength(3)
@maxLength(11)
param namePrefix string

@description('Region of every resource; the resource group\'s by default.')
param location string = resourceGroup().location

@description('The silo image (built from infra/docker/Dockerfile).')
param containerImage string

@description('Azure Container Registry in this resource group holding the image (the silo identity gets AcrPull on it); empty for a public image.')
param registryName string = ''

@description('Storage redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param storageSku string = 'Standard_ZRS'

@description('The Orleans cluster id the silos and clients share.')
param clusterId string = 'orleans-streams'

@minValue(1)
@maxValue(300)
param minReplicas int = 2

@minValue(1)
@maxValue(300)
param maxReplicas int = 5

@description('vCPU per silo replica.')
@allowed([
  '0.5'
  '1.0'
  '2.0'
  '4.0'
])
param siloCpu string = '1.0'

@description('Memory per silo replica, matching the vCPU (2Gi per vCPU).')
@allowed([
  '1Gi'
  '2Gi'
  '4Gi'
  '8Gi'
])
param siloMemory string = '2Gi'

@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Subnet (at least /27, delegated to Microsoft.App/environments) for a VNet-integrated environment; empty for none.')
param infrastructureSubnetId string = ''

@description('OTLP endpoint for the silos\' traces, metrics and logs; empty to export nothing.')
param otlpEndpoint string = ''

@secure()
@description('Password of the dashboard (user admin); empty keeps the dashboard closed.')
param dashboardPassword string = ''

var storageAccountName = take('${namePrefix}${uniqueString(resourceGroup().id)}', 24)
var landingContainer = 'landing'
var warehouseContainer = 'warehouse'
var checkpointsContainer = 'checkpoints'
var notificationsQueue = 'notifications'
var membershipTable = 'OrleansSiloInstances'
var remindersTable = 'OrleansReminders'
var grainStateContainer = 'orleans-streams-grains'

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    skuName: storageSku
    landingContainerName: landingContainer
    warehouseContainerName: warehouseContainer
    checkpointsContainerName: checkpointsContainer
    notificationsQueueName: notificationsQueue
    membershipTableName: membershipTable
    remindersTableName: remindersTable
    grainStateContainerName: grainStateContainer
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${namePrefix}-silo'
    location: location
    storageAccountName: storageAccountName
    landingContainerName: landingContainer
    warehouseContainerName: warehouseContainer
    checkpointsContainerName: checkpointsContainer
    notificationsQueueName: notificationsQueue
    membershipTableName: membershipTable
    remindersTableName: remindersTable
    grainStateContainerName: grainStateContainer
    registryName: registryName
  }
  dependsOn: [
    storage
  ]
}

module events 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    name: '${namePrefix}-blob-events'
    location: location
    storageAccountName: storageAccountName
    landingContainerName: landingContainer
    notificationsQueueName: notificationsQueue
  }
  dependsOn: [
    storage // the queue and the account must exist; the name is known up front, for what-if
  ]
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: '${namePrefix}-logs'
    location: location
    retentionInDays: logRetentionInDays
  }
}

module apps 'modules/containerapps.bicep' = {
  name: 'containerapps'
  params: {
    environmentName: '${namePrefix}-env'
    appName: '${namePrefix}-silo'
    location: location
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    infrastructureSubnetId: infrastructureSubnetId
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    containerImage: containerImage
    registryServer: identity.outputs.registryServer
    storageAccountName: storage.outputs.accountName
    checkpointsContainerName: checkpointsContainer
    allowedLocations: join(map([landingContainer, warehouseContainer, checkpointsContainer], c => 'abfss://${c}@${storage.outputs.accountName}.dfs.${environment().suffixes.storage}/'), ';')
    membershipTableName: membershipTable
    clusterId: clusterId
    minReplicas: minReplicas
    maxReplicas: maxReplicas
    cpu: siloCpu
    memory: siloMemory
    otlpEndpoint: otlpEndpoint
    dashboardPassword: dashboardPassword
  }
}

@description('Base URL of the silo app (HTTPS ingress).')
output appUrl string = 'https://${apps.outputs.fqdn}'

@description('The Orleans Dashboard.')
output dashboardUrl string = 'https://${apps.outputs.fqdn}/dashboard/'

output storageAccountName string = storage.outputs.accountName

@description('Where cloudFiles queries read new files: abfss://landing@<account>.dfs.<suffix>/')
output landingUri string = 'abfss://${landingContainer}@${storageAccountName}.dfs.${environment().suffixes.storage}/'

output warehouseUri string = 'abfss://${warehouseContainer}@${storageAccountName}.dfs.${environment().suffixes.storage}/'

output checkpointsUri string = 'abfss://${checkpointsContainer}@${storageAccountName}.dfs.${environment().suffixes.storage}/'

output notificationsQueueUrl string = '${storage.outputs.queueEndpoint}${notificationsQueue}'

@description('The membership table\'s service: set OrleansStreams__Cluster__AccountName (or TableServiceUri) to reach the cluster.')
output tableServiceUri string = storage.outputs.tableEndpoint

output clusterId string = clusterId

@description('Client id of the silos\' managed identity (AZURE_CLIENT_ID for DefaultAzureCredential).')
output siloIdentityClientId string = identity.outputs.clientId
