// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice Minimal view of the vault the receivers call back into.
interface IClaimTarget {
    function claim(uint256 poolId, bytes32 contributionId, address to) external returns (uint256);
    function withdrawDeferred(address token, address to) external;
}

/// @notice An author wallet that claims through the vault and whose `receive` reverts.
contract RevertingReceiverMock {
    error Refused();

    bool public refuse = true;

    function setRefuse(bool refuse_) external {
        refuse = refuse_;
    }

    function claim(IClaimTarget vault, uint256 poolId, bytes32 contributionId, address to) external {
        vault.claim(poolId, contributionId, to);
    }

    function withdrawDeferred(IClaimTarget vault, address token, address to) external {
        vault.withdrawDeferred(token, to);
    }

    receive() external payable {
        if (refuse) revert Refused();
    }
}

/// @notice An author wallet whose `receive` re-enters the vault to claim again.
contract ReentrantReceiverMock {
    IClaimTarget public vault;
    uint256 public poolId;
    bytes32 public contributionId;
    bool public reentered;

    function claim(IClaimTarget vault_, uint256 poolId_, bytes32 contributionId_) external {
        vault = vault_;
        poolId = poolId_;
        contributionId = contributionId_;
        vault_.claim(poolId_, contributionId_, address(this));
    }

    receive() external payable {
        reentered = true;
        vault.claim(poolId, contributionId, address(this));
    }
}

/// @notice An author wallet whose `receive` burns every unit of gas it gets and then returns a huge revert payload.
contract GasBombReceiverMock {
    function claim(IClaimTarget vault, uint256 poolId, bytes32 contributionId, address to) external {
        vault.claim(poolId, contributionId, to);
    }

    receive() external payable {
        assembly ("memory-safe") {
            for {} gt(gas(), 2000) {} {
                pop(keccak256(0, 0x20))
            }
            revert(0, 1000000)
        }
    }
}

/// @notice A contract that takes no ETH and never calls the vault (a token contract, a bare proxy): whatever the vault
/// credited to it could never be withdrawn.
contract EthRefuserMock {}
