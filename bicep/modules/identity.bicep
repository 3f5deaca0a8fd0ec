// The silos' user-assigned managed identity and its data roles, each on the narrowest scope that works:
// read the landing container, read and write the warehouse and checkpoints containers, process the
// notification queue's messages, read and write the membership and reminders tables and the grain state
// container, pull from the image registry.
// No account-wide or management roles.

param name string

param location string

param storageAccountName string

param landingContainerName string

param warehouseContainerName string

param checkpointsContainerName string

param notificationsQueueName string

param membershipTableName string

param remindersTableName string

param grainStateContainerName string

@description('Azure Container Registry (in this resource group) the silo image is pulled from; empty for none.')
param registryName string

// Built-in role definitions (ids are the same in every tenant).
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageQueueDataMessageProcessor = '8a0f0c08-91a1-4084-bc3d-661d67233fed'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobs 'blobServices' existing = {
    name: 'default'

    resource landing 'containers' existing = {
      name: landingContainerName
    }

    resource warehouse 'containers' existing = {
      name: warehouseContainerName
    }

    resource checkpoints 'containers' existing = {
      name: checkpointsContainerName
    }

    resource grainState 'containers' existing = {
      name: grainStateContainerName
    }
  }

  resource queues 'queueServices' existing = {
    name: 'default'

    resource notifications 'queues' existing = {
      name: notificationsQueueName
    }
  }

  resource tables 'tableServices' existing = {
    name: 'default'

    resource membership 'tables' existing = {
      name: membershipTableName
    }

    resource reminders 'tables' existing = {
      name: remindersTableName
    }
  }
}

resource readLanding 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::blobs::landing.id, identity.id, storageBlobDataReader)
  scope: account::blobs::landing
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
  }
}

resource writeWarehouse 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::blobs::warehouse.id, identity.id, storageBlobDataContributor)
  scope: account::blobs::warehouse
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource writeCheckpoints 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::blobs::checkpoints.id, identity.id, storageBlobDataContributor)
  scope: account::blobs::checkpoints
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource processNotifications 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::queues::notifications.id, identity.id, storageQueueDataMessageProcessor)
  scope: account::queues::notifications
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataMessageProcessor)
  }
}

resource writeMembership 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::tables::membership.id, identity.id, storageTableDataContributor)
  scope: account::tables::membership
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

resource writeReminders 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::tables::reminders.id, identity.id, storageTableDataContributor)
  scope: account::tables::reminders
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

resource writeGrainState 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::blobs::grainState.id, identity.id, storageBlobDataContributor)
  scope: account::blobs::grainState
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = if (!empty(registryName)) {
  name: registryName
}

// Granted before the app exists, so its first revision can pull the image.
resource pullImages 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(registryName)) {
  name: guid(resourceId('Microsoft.ContainerRegistry/registries', registryName), identity.id, acrPull)
  scope: registry
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
  }
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output registryServer string = empty(registryName) ? '' : registry!.properties.loginServer
